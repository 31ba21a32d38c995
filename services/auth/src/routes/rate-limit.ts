import { DependencyUnavailableError } from "@authflow/service-kit";
import type { AuthContext } from "../context.js";

/**
 * Per-client-IP limit on password endpoints (OWASP ASVS V2.2.1: anti-automation), counted in
 * Redis so every replica shares the budget.
 */
export function loginRateLimit(ctx: AuthContext) {
  return { max: ctx.config.LOGIN_RATE_LIMIT, timeWindow: 60_000 };
}

/**
 * Password endpoints refuse to run while Redis is down: the attempt limit cannot be counted,
 * and a login that verified the password before failing on Redis would answer 503 for the
 * right password and 401 for a wrong one, an oracle with no limit. So: 503 for every attempt.
 */
export function requireRedis(ctx: AuthContext) {
  return async () => {
    if (ctx.redis.status !== "ready") throw new DependencyUnavailableError("redis");
  };
}
