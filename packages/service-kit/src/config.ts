import { readFileSync } from "node:fs";
import type { z } from "zod";

/** Thrown when the environment does not satisfy a service's config schema. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Validates `env` against `schema` once at boot; only the schema's own variables are read.
 * Every variable may instead be given as
 * `NAME_FILE` (Docker / Kubernetes secrets); the file's content, minus a trailing newline,
 * becomes the value. Both set at once is an error: which one wins would be a guess.
 */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const resolved: Record<string, string | undefined> = {};
  for (const name of Object.keys(schema.shape)) {
    resolved[name] = env[name];
    const key = `${name}_FILE`;
    const path = env[key];
    if (path === undefined || path === "") continue;
    if (env[name] !== undefined && env[name] !== "") {
      throw new ConfigError(`invalid config: set either ${name} or ${key}, not both`);
    }
    try {
      resolved[name] = readFileSync(path, "utf8").replace(/\r?\n$/, "");
    } catch {
      throw new ConfigError(`invalid config: ${key}: cannot read file ${path}`);
    }
  }
  for (const [key, value] of Object.entries(resolved)) {
    if (value === "") resolved[key] = undefined; // empty means unset, as in Compose files
  }
  const result = schema.safeParse(resolved);
  if (!result.success) {
    const first = result.error.issues[0];
    const name = first?.path.join(".") || "(root)";
    throw new ConfigError(`invalid config: ${name}: ${first?.message ?? "invalid value"}`);
  }
  return result.data;
}

/** Loads config or prints the one-line reason and exits with status 1. */
export function loadConfigOrExit<S extends z.ZodObject>(schema: S, env = process.env): z.infer<S> {
  try {
    return loadConfig(schema, env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}
