import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, parseAllDocuments } from "yaml";
import { configSchema as gatewaySchema } from "../../../services/api-gateway/src/config.js";
import { configSchema as authSchema } from "../../../services/auth/src/config.js";
import { configSchema as notesSchema } from "../../../services/sample-service/src/config.js";

/** Helpers for the static checks of what is deployed: Dockerfiles, Compose, workflows, K8s. */
export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export const read = (path: string): string => readFileSync(join(ROOT, path), "utf8");
// biome-ignore lint/suspicious/noExplicitAny: parsed YAML is checked field by field in tests.
export type Yaml = any;
// `merge`: Compose files use YAML merge keys (<<) for their shared service settings.
export const readYaml = (path: string): Yaml => parse(read(path), { merge: true });
export const readYamlDocs = (path: string): Yaml[] =>
  parseAllDocuments(read(path), { merge: true }).map((d) => d.toJS());

export interface ServiceInfo {
  /** Directory under services/, the Compose service name and the K8s Deployment name. */
  name: "auth" | "api-gateway" | "sample-service";
  pkg: string;
  port: number;
  /** The service's zod config schema; only its fields' names and defaults are used here. */
  schema: { shape: Record<string, { safeParse(value: unknown): { success: boolean } }> };
}

export const SERVICES: ServiceInfo[] = [
  { name: "auth", pkg: "@authflow/auth", port: 8000, schema: authSchema },
  { name: "api-gateway", pkg: "@authflow/api-gateway", port: 8080, schema: gatewaySchema },
  { name: "sample-service", pkg: "@authflow/sample-service", port: 8081, schema: notesSchema },
];

/** Variables a confidential client in the seed file reads its secret from (`secretEnv`). */
function clientSecretVars(): string[] {
  const seed = JSON.parse(read("services/auth/clients.json")) as {
    clients: Array<{ secretEnv?: string }>;
  };
  return seed.clients.flatMap((c) => (c.secretEnv ? [c.secretEnv] : []));
}

/** Names set in an environment that the service does not read (NAME_FILE counts as NAME). */
export function unknownVars(service: ServiceInfo, names: string[]): string[] {
  const known = new Set([
    ...Object.keys(service.schema.shape),
    ...(service.name === "auth" ? clientSecretVars() : []),
  ]);
  return names.filter((n) => !known.has(n) && !known.has(n.replace(/_FILE$/, "")));
}

/** Schema variables without a default that an environment leaves unset (directly or _FILE). */
export function missingRequiredVars(service: ServiceInfo, names: string[]): string[] {
  const set = new Set(names.map((n) => n.replace(/_FILE$/, "")));
  const required = Object.entries(service.schema.shape)
    .filter(([, field]) => !field.safeParse(undefined).success)
    .map(([name]) => name);
  if (service.name === "auth") required.push(...clientSecretVars());
  return required.filter((n) => !set.has(n));
}

/** Looks like a secret: must come from a file (NAME_FILE) or a secret reference, never inline. */
export const SECRET_NAME = /SECRET|PASSWORD|TOKEN|PRIVATE|_KEY$|DATABASE_URL|REDIS_URL/;

/** `scheme://user:password@` outside comments: a credential written into a file. */
export function inlineCredentials(text: string): string[] {
  const code = text.split("\n").map((line) => line.replace(/(^|\s)#.*$/, ""));
  return code.filter((line) => /[a-z]+:\/\/[^\s:@/]+:[^\s@/]+@/i.test(line));
}

/** An image reference with an exact version tag (no `latest`, no bare major). */
export const PINNED_IMAGE = /^[\w.-]+(\/[\w.-]+)*:\d+\.\d+(\.\d+)?(-[\w.]+)?$/;

/** Runs Compose's own validation: `docker-compose` (v1, Debian) or `docker compose` (v2). */
export function composeConfig(files: string[]): void {
  const args = files.flatMap((f) => ["-f", f]).concat(["config", "-q"]);
  for (const [cmd, pre] of [
    ["docker-compose", []],
    ["docker", ["compose"]],
  ] as const) {
    try {
      execFileSync(cmd, [...pre, "version"], { stdio: "ignore" });
    } catch {
      continue;
    }
    execFileSync(cmd, [...pre, ...args], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
    return;
  }
  throw new Error(
    "neither docker-compose nor `docker compose` is installed: install Debian's docker-compose " +
      "(apt-get install docker-compose; .ci/run does) to validate the Compose files",
  );
}
