import type { FastifyInstance } from "fastify";
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

export type ReadinessCheck = () => Promise<unknown>;

export interface ObservabilityOptions {
  service: string;
  /** Named dependency checks for /readyz; each must resolve within the timeout. */
  checks: Record<string, ReadinessCheck>;
  registry?: Registry;
}

/**
 * `/healthz` (process alive), `/readyz` (dependencies reachable) and `/metrics` (Prometheus).
 * Served on each service's own port; the gateway never routes them (DESIGN.md).
 */
export function registerObservability(app: FastifyInstance, opts: ObservabilityOptions): Registry {
  const registry = opts.registry ?? new Registry();
  registry.setDefaultLabels({ service: opts.service });
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request duration by route and status",
    labelNames: ["method", "route", "status"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  // The path as the client sent it, captured before a proxy rewrites the raw URL.
  const started = new WeakMap<object, { t0: bigint; path: string }>();
  app.addHook("onRequest", async (request) => {
    started.set(request, { t0: process.hrtime.bigint(), path: request.url.split("?")[0] ?? "" });
  });
  app.addHook("onResponse", async (request, reply) => {
    const start = started.get(request);
    if (start === undefined) return;
    const route = request.routeOptions.url ?? "unmatched";
    const seconds = Number(process.hrtime.bigint() - start.t0) / 1e9;
    duration.observe({ method: request.method, route, status: String(reply.statusCode) }, seconds);
    if (route === "/healthz" || route === "/readyz" || route === "/metrics") return;
    // One line per request. The path only: query strings can carry codes and tokens.
    request.log.info(
      {
        method: request.method,
        path: start.path,
        status: reply.statusCode,
        ms: Math.round(seconds * 1000),
      },
      "request",
    );
  });

  app.get("/healthz", { logLevel: "warn" }, async () => ({ status: "ok" }));
  app.get("/readyz", { logLevel: "warn" }, async (_request, reply) => {
    const results: Record<string, "ok" | "unavailable"> = {};
    await Promise.all(
      Object.entries(opts.checks).map(async ([name, check]) => {
        results[name] = (await withTimeout(check(), 2_000)) ? "ok" : "unavailable";
      }),
    );
    const ready = Object.values(results).every((r) => r === "ok");
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? "ok" : "unavailable", checks: results });
  });
  app.get("/metrics", { logLevel: "warn" }, async (_request, reply) => {
    return reply.type(registry.contentType).send(await registry.metrics());
  });
  return registry;
}

async function withTimeout(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([p.then(() => true).catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export { Counter, Histogram, Registry };
