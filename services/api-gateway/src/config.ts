import { fileURLToPath } from "node:url";
import { fields } from "@authflow/service-kit";
import { z } from "zod";

/** The repo's default routes file, found next to the package (not the cwd). */
export const DEFAULT_ROUTES_FILE = fileURLToPath(new URL("../routes.json", import.meta.url));

/** Gateway environment (DESIGN.md, "Origins, ports and environment"). */
export const configSchema = z
  .object({
    ...fields.commonFields,
    PORT: fields.port(8080),
    AUTH_SERVER_URL: fields.httpUrl.default("http://127.0.0.1:8000"),
    NOTES_SERVICE_URL: fields.httpUrl.default("http://127.0.0.1:8081"),
    // The revocation list: revoked tokens are refused at once (and part of /readyz).
    REDIS_URL: fields.redisUrl.default("redis://127.0.0.1:6379"),
    /** Must equal the auth service's: the revocation list is read under it. */
    REDIS_KEY_PREFIX: z.string().min(1).max(64).default("authflow:"),
    ROUTES_FILE: z.string().min(1).default(DEFAULT_ROUTES_FILE),
    UPSTREAM_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
    TLS_CERT_FILE: z.string().min(1).optional(),
    TLS_KEY_FILE: z.string().min(1).optional(),
  })
  .refine((c) => (c.TLS_CERT_FILE === undefined) === (c.TLS_KEY_FILE === undefined), {
    path: ["TLS_CERT_FILE"],
    message: "set both TLS_CERT_FILE and TLS_KEY_FILE, or neither",
  });

export type Config = z.infer<typeof configSchema>;
