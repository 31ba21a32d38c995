import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { authorizationValues, extractBearerToken } from "./bearer.js";
import { authErrorResponse } from "./challenge.js";
import type { AccessTokenClaims } from "./claims.js";
import { AuthClientError, isAuthClientError } from "./errors.js";
import { assertRoles } from "./roles.js";
import { assertScopes } from "./scopes.js";
import type { Verifier } from "./verify.js";

/** Options of {@link authPlugin}. */
export interface AuthPluginOptions {
  /** The verifier every guard uses (from `createVerifier`). */
  verifier: Verifier;
  /** RFC 6750 §3 `realm` of challenges. Default `"authflow"`. */
  realm?: string;
}

/** What {@link authPlugin} stores on the instance for the guards. */
export interface AuthClientContext {
  readonly verifier: Verifier;
  readonly realm: string;
}

declare module "fastify" {
  interface FastifyRequest {
    /** Verified access-token claims; `null` until a guard (`requireAuth`, …) has run. */
    auth: AccessTokenClaims | null;
  }
  interface FastifyInstance {
    /** Set by `authPlugin` from `@authflow/auth-client/fastify`. */
    authClient: AuthClientContext;
  }
}

/** A Fastify `preHandler` produced by {@link requireAuth}, {@link requireScopes}, {@link requireRoles}. */
export type AuthGuard = (
  this: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
) => Promise<unknown>;

const authPluginImpl: FastifyPluginAsync<AuthPluginOptions> = async (app, options) => {
  const { verifier, realm = "authflow" } = options ?? ({} as AuthPluginOptions);
  if (typeof verifier?.verify !== "function") {
    throw new TypeError('authPlugin: "verifier" must come from createVerifier()');
  }
  if (typeof realm !== "string") throw new TypeError('authPlugin: "realm" must be a string');
  app.decorateRequest("auth", null);
  app.decorate("authClient", { verifier, realm });
};

/**
 * Fastify plugin (wrapped with fastify-plugin, so it applies to the whole app): decorates
 * `request.auth` (`null` by default) and makes the verifier available to the guards.
 *
 * @example
 * ```ts
 * import { authPlugin, requireScopes } from "@authflow/auth-client/fastify";
 *
 * await app.register(authPlugin, { verifier });
 * app.get("/notes", { preHandler: requireScopes("notes:read") }, async (request) => {
 *   return listNotes(request.auth!.sub);
 * });
 * ```
 */
export const authPlugin = fp(authPluginImpl, {
  name: "@authflow/auth-client",
  fastify: "5.x",
});

/** Every `Authorization` value the client sent (injected requests have no raw list). */
function requestAuthorization(request: FastifyRequest): string[] {
  const values = authorizationValues(request.raw.rawHeaders);
  const parsed = request.headers.authorization;
  return values.length > 0 || parsed === undefined ? values : [parsed];
}

function guard(check?: (claims: AccessTokenClaims) => void): AuthGuard {
  return async function authGuard(request, reply) {
    const context = request.server.authClient;
    if (context === undefined) {
      throw new Error("@authflow/auth-client: register authPlugin before using its guards");
    }
    try {
      // RFC 6750 §2.3 tokens in URLs end up in logs and Referer headers: refuse them.
      const query = request.query as Record<string, unknown> | undefined;
      if (query !== null && typeof query === "object" && Object.hasOwn(query, "access_token")) {
        throw new AuthClientError("token_malformed", {
          message: "Access tokens are not accepted in the URL",
        });
      }
      // Several guards on one route (app-wide and per route) verify once.
      request.auth ??= await context.verifier.verify(
        extractBearerToken(requestAuthorization(request)),
      );
      check?.(request.auth);
    } catch (err) {
      const response = authErrorResponse(err, { realm: context.realm });
      const code = isAuthClientError(err) ? err.code : "token_invalid";
      // Denials are logged with their reason code, never the token or claims.
      if (response.status === 503)
        request.log.warn({ authError: code }, "authentication unavailable");
      else request.log.info({ authError: code }, "request denied");
      return reply.code(response.status).headers(response.headers).send(response.body);
    }
  };
}

/**
 * `preHandler` that requires a valid bearer access token and sets `request.auth`.
 *
 * @example
 * ```ts
 * app.get("/me", { preHandler: requireAuth() }, async (request) => ({ sub: request.auth!.sub }));
 * ```
 */
export function requireAuth(): AuthGuard {
  return guard();
}

/**
 * `preHandler` that requires a valid token (else 401) granting ALL of `scopes` (else 403
 * `insufficient_scope` with the `scope` challenge attribute, RFC 6750 §3.1).
 *
 * @example
 * ```ts
 * app.post("/notes", { preHandler: requireScopes("notes:write") }, createNote);
 * ```
 */
export function requireScopes(...scopes: string[]): AuthGuard {
  if (scopes.length === 0 || !scopes.every((s) => typeof s === "string" && s !== "")) {
    throw new TypeError("requireScopes: at least one non-empty scope is required");
  }
  return guard((claims) => assertScopes(claims, scopes));
}

/**
 * `preHandler` that requires a valid token (else 401) carrying ALL of `roles` (else 403
 * `insufficient_role`).
 *
 * @example
 * ```ts
 * app.delete("/admin/users/:id", { preHandler: requireRoles("admin") }, deleteUser);
 * ```
 */
export function requireRoles(...roles: string[]): AuthGuard {
  if (roles.length === 0 || !roles.every((r) => typeof r === "string" && r !== "")) {
    throw new TypeError("requireRoles: at least one non-empty role is required");
  }
  return guard((claims) => assertRoles(claims, roles));
}
