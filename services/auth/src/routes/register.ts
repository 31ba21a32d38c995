import { ProblemError, parseOrThrow } from "@authflow/service-kit";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { AuthContext } from "../context.js";
import { isPlausibleEmail, normalizeEmail } from "../users/email.js";
import { EmailTakenError } from "../users/user-repository.js";
import { loginRateLimit, requireRedis } from "./rate-limit.js";

const body = z
  .object({
    email: z.string().max(1024),
    password: z.string(),
    name: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .refine((n) => !/\p{Cc}/u.test(n), "must not contain control characters")
      .optional(),
  })
  .strict();

/** `POST /auth/register` → 201 `{id, email}`; 409 `email_taken`; 400 on invalid input. */
export async function registerRoute(app: FastifyInstance, ctx: AuthContext) {
  const { PASSWORD_MIN_LENGTH: min, PASSWORD_MAX_LENGTH: max } = ctx.config;
  app.post(
    "/auth/register",
    { onRequest: requireRedis(ctx), config: { rateLimit: loginRateLimit(ctx) } },
    async (request, reply) => {
      const input = parseOrThrow(body, request.body);
      const email = normalizeEmail(input.email);
      if (!isPlausibleEmail(email))
        throw new ProblemError(400, "invalid_email", "email is not valid");
      // NIST SP 800-63B-4 counts characters (code points), not bytes or UTF-16 units.
      const length = [...input.password.normalize("NFKC")].length;
      if (length < min || length > max) {
        throw new ProblemError(
          400,
          "invalid_password",
          `password must be ${min}-${max} characters`,
        );
      }
      const passwordHash = await ctx.passwords.hash(input.password);
      try {
        const user = await ctx.users.create({ email, name: input.name ?? null, passwordHash });
        await ctx.audit.record(request, {
          event: "user.registered",
          outcome: "success",
          userId: user.id,
        });
        return reply.code(201).send({ id: user.id, email: user.email });
      } catch (err) {
        if (err instanceof EmailTakenError) {
          throw new ProblemError(409, "email_taken", "an account with this email exists");
        }
        throw err;
      }
    },
  );
}
