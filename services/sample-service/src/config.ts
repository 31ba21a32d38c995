import { fields } from "@authflow/service-kit";
import { z } from "zod";

/** The notes service's environment (DESIGN.md, "Origins, ports and environment"). */
export const configSchema = z.object({
  ...fields.commonFields,
  PORT: fields.port(8081),
  /** Internal address of the auth service; keys come from here, never from a token. */
  AUTH_SERVER_URL: fields.httpUrl.default("http://127.0.0.1:8000"),
  DATABASE_URL: fields.postgresUrl.default("postgres://postgres@127.0.0.1:5432/authflow_notes"),
  /** Optional: with it, revoked tokens are refused at once instead of at their expiry. */
  REDIS_URL: fields.redisUrl.optional(),
  REDIS_KEY_PREFIX: z.string().min(1).max(64).default("authflow:"),
});

export type Config = z.infer<typeof configSchema>;
