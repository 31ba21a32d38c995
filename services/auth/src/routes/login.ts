import { ProblemError, parseOrThrow } from "@authflow/service-kit";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { AuthContext } from "../context.js";
import { noStore } from "../oauth/oauth-error.js";
import { startSession } from "../sessions/token-response.js";
import { normalizeEmail } from "../users/email.js";
import { loginRateLimit, requireRedis } from "./rate-limit.js";

const body = z
  .object({
    email: z.string().max(320),
    password: z.string(),
    client_id: z.string().max(128).default("authflow-app"),
  })
  .strict();

const DEFAULT_CLIENT = "authflow-app";

/**
 * `POST /auth/login`: the first-party JSON login (a password grant by another name, so only
 * for first-party clients). Unknown email and wrong password give the same 401 body after the
 * same argon2 work (case L1).
 */
export async function loginRoute(app: FastifyInstance, ctx: AuthContext) {
  app.post(
    "/auth/login",
    { onRequest: requireRedis(ctx), config: { rateLimit: loginRateLimit(ctx) } },
    async (request, reply) => {
      const input = parseOrThrow(body, request.body);
      const client = await ctx.clients.find(input.client_id || DEFAULT_CLIENT);
      if (!client?.firstParty) {
        throw new ProblemError(400, "unauthorized_client", "this client may not use /auth/login");
      }
      const user = await ctx.users.findByEmail(normalizeEmail(input.email));
      const ok = await ctx.passwords.verifyOrDummy(user?.passwordHash, input.password);
      if (!user || !ok) {
        await ctx.audit.record(request, {
          event: "user.login",
          outcome: "failure",
          userId: user?.id,
          clientId: client.clientId,
          detail: { reason: user ? "wrong_password" : "unknown_email" },
        });
        throw new ProblemError(401, "invalid_credentials", "email or password is incorrect");
      }
      if (ctx.passwords.needsRehash(user.passwordHash)) {
        await ctx.users.updatePasswordHash(user.id, await ctx.passwords.hash(input.password));
      }
      const scope = client.defaultScopes.join(" ");
      const { sid, ...tokens } = await startSession(ctx, user, client, scope);
      await ctx.audit.record(request, {
        event: "user.login",
        outcome: "success",
        userId: user.id,
        clientId: client.clientId,
        detail: { sid },
      });
      return noStore(reply).send(tokens);
    },
  );
}
