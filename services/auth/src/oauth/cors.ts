import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { AuthContext } from "../context.js";

/** The endpoints a browser client calls from its own origin (issue #3, DESIGN.md). */
export const CORS_PATHS = [
  "/.well-known/openid-configuration",
  "/.well-known/jwks.json",
  "/oauth/token",
  "/oauth/revoke",
  "/oauth/userinfo",
] as const;

const CACHE_MS = 30_000;

/**
 * CORS for the browser-facing endpoints, answering only the origins that registered clients
 * list (exact match, never `*`): a page elsewhere cannot read token responses. No credentials
 * mode: these endpoints authenticate with parameters and bearer tokens, not cookies.
 */
export function registerCors(app: FastifyInstance, ctx: AuthContext): void {
  let cached: { at: number; origins: Set<string> } | undefined;
  const allowed = async (origin: string): Promise<boolean> => {
    if (!cached || Date.now() - cached.at > CACHE_MS) {
      cached = { at: Date.now(), origins: new Set(await ctx.clients.allowedOrigins()) };
    }
    return cached.origins.has(origin);
  };
  const paths = new Set<string>(CORS_PATHS);

  const apply = async (request: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
    const origin = request.headers.origin;
    reply.header("vary", "Origin");
    if (!origin || !(await allowed(origin))) return false;
    reply.header("access-control-allow-origin", origin);
    reply.header("access-control-expose-headers", "WWW-Authenticate, Retry-After");
    return true;
  };

  app.addHook("onRequest", async (request, reply) => {
    const path = request.routeOptions.url;
    if (path && paths.has(path) && request.method !== "OPTIONS") await apply(request, reply);
  });

  for (const path of CORS_PATHS) {
    app.options(path, async (request, reply) => {
      if (await apply(request, reply)) {
        reply
          .header("access-control-allow-methods", "GET, POST")
          .header("access-control-allow-headers", "Authorization, Content-Type, DPoP")
          .header("access-control-max-age", "600");
      }
      return reply.code(204).send();
    });
  }
}
