import type { Route, RouteTable } from "./table.js";

/**
 * The most specific route for a normalized path. Case-sensitive and on segment boundaries:
 * `/api/notes` matches `/api/notes` and `/api/notes/…`, never `/api/notesX`.
 */
export function matchRoute(table: RouteTable, path: string): Route | undefined {
  // The table is sorted longest prefix first.
  return table.find((r) => path === r.prefix || path.startsWith(`${r.prefix}/`));
}

/** The path the upstream receives: the matched prefix replaced by `rewrite`, if any. */
export function upstreamPath(route: Route, path: string): string {
  if (route.rewrite === undefined) return path;
  const rest = path.slice(route.prefix.length); // "" or "/…"
  if (route.rewrite === "/") return rest === "" ? "/" : rest;
  return `${route.rewrite}${rest}`;
}
