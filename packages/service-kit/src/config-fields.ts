import { z } from "zod";
import { parseRedisUrl } from "./redis.js";

/** Reusable zod fields for the variables every service shares (DESIGN.md, environment). */
export const port = (fallback: number) =>
  z.coerce.number().int().min(0).max(65535).default(fallback);

export const logLevel = z
  .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
  .default("info");

/** An absolute http(s) URL; a trailing slash is removed so it compares exactly. */
export const httpUrl = z
  .url({ protocol: /^https?$/, message: "must be an http(s) URL" })
  .transform((u) => u.replace(/\/+$/, ""));

export const postgresUrl = z.url({
  protocol: /^postgres(ql)?$/,
  message: "must be a postgres:// URL",
});

/** `redis://`, `rediss://`, `redis-sentinel://h:p,h:p/master` or `redis-cluster://h:p,h:p`. */
export const redisUrl = z.string().refine(
  (u) => {
    try {
      parseRedisUrl(u);
      return true;
    } catch {
      return false;
    }
  },
  { message: "must be a redis://, rediss://, redis-sentinel:// or redis-cluster:// URL" },
);

/** Positive integer seconds. */
export const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const commonFields = {
  HOST: z.string().min(1).default("127.0.0.1"),
  LOG_LEVEL: logLevel,
  ISSUER: httpUrl.default("http://localhost:8080"),
  AUDIENCE: z.string().min(1).default("authflow-api"),
};
