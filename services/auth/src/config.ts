import { fileURLToPath } from "node:url";
import { fields } from "@authflow/service-kit";
import { z } from "zod";

const defaultClientsFile = fileURLToPath(new URL("../clients.json", import.meta.url));

export const configSchema = z
  .object({
    ...fields.commonFields,
    PORT: fields.port(8000),
    DATABASE_URL: fields.postgresUrl.default("postgres://postgres@127.0.0.1:5432/authflow_auth"),
    REDIS_URL: fields.redisUrl.default("redis://127.0.0.1:6379"),
    /** Keys of other deployments sharing one Redis never collide under distinct prefixes. */
    REDIS_KEY_PREFIX: z.string().min(1).max(64).default("authflow:"),
    /** Encrypts signing keys at rest; no default anywhere but `pnpm start`. */
    SIGNING_KEY_SECRET: z
      .string({ error: "is required (at least 32 characters; see README)" })
      .min(32, "must be at least 32 characters"),
    ACCESS_TOKEN_TTL: fields.seconds(900),
    /** A rotated-in key signs only this long after it is published (all replicas reload it). */
    SIGNING_KEY_ACTIVATION_DELAY: z.coerce.number().int().min(0).default(120),
    REFRESH_TOKEN_TTL: fields.seconds(2_592_000),
    /**
     * Which peers may set X-Forwarded-For (proxy-addr syntax: names, IPs or CIDRs). Only the
     * gateway should: trusting a range lets anyone in it choose its rate-limit bucket. Compose
     * and Kubernetes set the private ranges, where network policy admits only gateway and notes.
     */
    TRUST_PROXY: z.string().min(1).default("loopback"),
    /** Lifetime of the browser login session behind /oauth/authorize (its cookie). */
    SESSION_TTL: fields.seconds(28_800),
    CLIENTS_FILE: z.string().min(1).default(defaultClientsFile),
    /** NIST SP 800-63B-4 §3.1.1.2: at least 15 characters for single-factor passwords. */
    PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).max(128).default(15),
    PASSWORD_MAX_LENGTH: z.coerce.number().int().min(64).max(1024).default(128),
    /** Login and registration attempts per client IP and minute (Redis-backed). */
    LOGIN_RATE_LIMIT: z.coerce.number().int().positive().default(20),
    /** argon2id cost; OWASP minimum m=19 MiB, t=2, p=1. */
    ARGON2_MEMORY_KIB: z.coerce.number().int().min(19_456).default(19_456),
    ARGON2_TIME_COST: z.coerce.number().int().min(2).default(2),
  })
  .refine((c) => c.PASSWORD_MIN_LENGTH <= c.PASSWORD_MAX_LENGTH, {
    path: ["PASSWORD_MIN_LENGTH"],
    message: "must not exceed PASSWORD_MAX_LENGTH",
  });

export type Config = z.infer<typeof configSchema>;
