import type { AuthContext } from "../context.js";

/**
 * Per-client-IP limit on password endpoints (OWASP ASVS V2.2.1: anti-automation), counted in
 * Redis so every replica shares the budget.
 */
export function loginRateLimit(ctx: AuthContext) {
  return { max: ctx.config.LOGIN_RATE_LIMIT, timeWindow: 60_000 };
}
