import { Counter, type Registry } from "prom-client";

/**
 * Why a request ended the way it did: `proxied`, or the denial / failure reason code
 * (`invalid_path`, `route_not_found`, an auth-client code such as `token_missing` or
 * `insufficient_scope`, `upstream_unavailable`, `upstream_timeout`, `client_closed`).
 * `route` is the matched prefix (or `none`), so both labels stay bounded.
 */
export function createGatewayMetrics(registry: Registry) {
  const requests = new Counter({
    name: "gateway_requests_total",
    help: "Requests handled by the gateway pipeline, by route prefix and outcome reason",
    labelNames: ["route", "reason"],
    registers: [registry],
  });
  return {
    count: (route: string | undefined, reason: string) =>
      requests.inc({ route: route ?? "none", reason }),
  };
}

export type GatewayMetrics = ReturnType<typeof createGatewayMetrics>;
