import { Agent as HttpAgent, type IncomingMessage, type ServerResponse } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import httpProxy from "http-proxy";
import { writeRawProblem } from "./raw-problem.js";

/** How a forwarded request ended, for the log line and the `reason` metric label. */
export type ForwardOutcome =
  | "proxied"
  | "upstream_unavailable"
  | "upstream_timeout"
  | "client_closed";

export interface Forwarder {
  /** Streams `req` (body untouched) to `upstream` + `path` + `query`, and the answer back. */
  forward(
    req: IncomingMessage,
    res: ServerResponse,
    target: { upstream: string; path: string; query: string; requestId: string },
  ): Promise<ForwardOutcome>;
  close(): void;
}

const TIMEOUT = "UPSTREAM_TIMEOUT";

/**
 * Forward step, on http-proxy. The upstream gets exactly the validated path (`toProxy` keeps
 * http-proxy from re-parsing it with `url.parse`, which would re-escape the query). Failures
 * become a generic 502 / 504 problem: the upstream's address and the error stay in the log.
 */
export function createForwarder(opts: { timeoutMs: number }): Forwarder {
  const agents = {
    http: new HttpAgent({ keepAlive: true }),
    https: new HttpsAgent({ keepAlive: true }),
  };
  const proxy = httpProxy.createProxyServer({ changeOrigin: true, toProxy: true, xfwd: false });

  // The timeout is on the upstream socket (idle time), so a slow upload or a streaming
  // response keeps it alive; a silent upstream gets 504.
  proxy.on("proxyReq", (proxyReq) => {
    proxyReq.setTimeout(opts.timeoutMs, () => {
      proxyReq.destroy(Object.assign(new Error("upstream timed out"), { code: TIMEOUT }));
    });
  });
  proxy.on("proxyRes", (proxyRes, req, res) => {
    proxyRes.headers["x-request-id"] = req.headers["x-request-id"];
    // An upstream dying mid-body: cut the client connection so it sees a truncated response.
    proxyRes.on("aborted", () => res.destroy());
    proxyRes.on("error", () => res.destroy());
  });
  // Only reached for failures http-proxy does not hand to the per-call callback.
  proxy.on("error", (_err, _req, res) => {
    if ("destroy" in res) res.destroy();
  });

  return {
    forward(req, res, target) {
      return new Promise<ForwardOutcome>((resolve) => {
        res.once("close", () => resolve(res.writableFinished ? "proxied" : "client_closed"));
        req.url = `${target.path}${target.query}`;
        const agent = target.upstream.startsWith("https:") ? agents.https : agents.http;
        proxy.web(req, res, { target: target.upstream, agent }, (err) => {
          const timedOut = (err as NodeJS.ErrnoException).code === TIMEOUT;
          const outcome = timedOut ? "upstream_timeout" : "upstream_unavailable";
          if (res.headersSent) {
            res.destroy();
          } else {
            writeRawProblem(res, timedOut ? 504 : 502, outcome, target.requestId);
          }
          resolve(outcome);
        });
      });
    },
    close() {
      proxy.close();
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
