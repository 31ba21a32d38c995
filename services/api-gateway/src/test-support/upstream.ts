import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** What the fake upstream received, echoed back as its JSON body. */
export interface Echo {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FakeUpstream {
  readonly url: string;
  readonly port: number;
  /** `echo` answers 200 with an {@link Echo}; `hang` never answers. */
  mode: "echo" | "hang";
  received: Echo[];
  /** Starts listening again on the same port (after `stop`). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A real `node:http` upstream on 127.0.0.1 (port 0) that echoes what it received. */
export async function createFakeUpstream(): Promise<FakeUpstream> {
  let server: Server | undefined;
  let port = 0;
  const upstream: FakeUpstream = {
    mode: "echo",
    received: [],
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    async start() {
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
          const echo: Echo = {
            method: req.method ?? "",
            url: req.url ?? "",
            headers: req.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          };
          upstream.received.push(echo);
          if (upstream.mode === "hang") return;
          res.writeHead(200, { "content-type": "application/json", "x-upstream": "fake" });
          res.end(JSON.stringify(echo));
        });
      });
      const s = server;
      await new Promise<void>((resolve, reject) => {
        s.once("error", reject);
        s.listen(port, "127.0.0.1", () => resolve());
      });
      port = (s.address() as AddressInfo).port;
    },
    async stop() {
      const s = server;
      if (!s) return;
      server = undefined;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    },
  };
  await upstream.start();
  return upstream;
}
