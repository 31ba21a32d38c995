import { readFileSync } from "node:fs";
import { routesFileSchema } from "./schema.js";

/** A route ready for matching: upstream resolved to a URL, scopes split by method kind. */
export interface Route {
  prefix: string;
  upstream: { name: string; url: string };
  rewrite: string | undefined;
  policy: Policy;
}

export type Policy =
  | { type: "public" }
  | { type: "authenticated"; scopes: { read: string[]; write: string[] }; roles: string[] };

/** Routes sorted longest prefix first, so the first match is the most specific one. */
export type RouteTable = readonly Route[];

/** A routes file that cannot be used; the message is one line naming the problem. */
export class RoutesFileError extends Error {
  override name = "RoutesFileError";
}

/** Reads and validates the routes file; throws {@link RoutesFileError}. */
export function loadRoutesFile(file: string, vars: Record<string, string | undefined>): RouteTable {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new RoutesFileError(`routes file ${file}: cannot read file`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new RoutesFileError(`routes file ${file}: invalid JSON: ${(err as Error).message}`);
  }
  try {
    return buildRouteTable(json, vars);
  } catch (err) {
    if (err instanceof RoutesFileError)
      throw new RoutesFileError(`routes file ${file}: ${err.message}`);
    throw err;
  }
}

/** Validates parsed routes JSON and resolves upstreams against `vars`. */
export function buildRouteTable(
  json: unknown,
  vars: Record<string, string | undefined>,
): RouteTable {
  const result = routesFileSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new RoutesFileError(`${issue?.path.join(".") || "(root)"}: ${issue?.message}`);
  }
  const upstreams = new Map<string, string>();
  for (const [name, template] of Object.entries(result.data.upstreams)) {
    upstreams.set(
      name,
      upstreamUrl(`upstreams.${name}`, interpolate(`upstreams.${name}`, template, vars)),
    );
  }
  const routes = result.data.routes.map((r): Route => {
    const policy: Policy =
      r.policy.type === "public"
        ? { type: "public" }
        : {
            type: "authenticated",
            scopes: Array.isArray(r.policy.scopes)
              ? { read: r.policy.scopes, write: r.policy.scopes }
              : (r.policy.scopes ?? { read: [], write: [] }),
            roles: r.policy.roles ?? [],
          };
    const url = upstreams.get(r.upstream) as string; // existence checked by the schema
    return { prefix: r.prefix, upstream: { name: r.upstream, url }, rewrite: r.rewrite, policy };
  });
  return routes.sort((a, b) => b.prefix.length - a.prefix.length);
}

function interpolate(where: string, template: string, vars: Record<string, string | undefined>) {
  return template.replace(/\$\{([^}]*)\}/g, (_, name: string) => {
    const value = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? vars[name] : undefined;
    if (value === undefined || value === "") {
      throw new RoutesFileError(`${where}: unknown variable \${${name}}`);
    }
    return value;
  });
}

function upstreamUrl(where: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new RoutesFileError(`${where}: not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new RoutesFileError(`${where}: must be an http(s) URL`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new RoutesFileError(`${where}: must not have a query, fragment or credentials`);
  }
  return url.toString().replace(/\/+$/, "");
}
