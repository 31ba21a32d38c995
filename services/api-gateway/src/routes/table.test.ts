import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_ROUTES_FILE } from "../config.js";
import { matchRoute, upstreamPath } from "./match.js";
import { buildRouteTable, loadRoutesFile, RoutesFileError } from "./table.js";

const VARS = { AUTH_SERVER_URL: "http://auth:8000", NOTES_SERVICE_URL: "http://notes:8081/" };

const file = (routes: unknown[], upstreams: Record<string, string> = { a: "http://a:1" }) => ({
  upstreams,
  routes,
});
const pub = (prefix: string, extra: Record<string, unknown> = {}) => ({
  prefix,
  upstream: "a",
  policy: { type: "public" },
  ...extra,
});

describe("routes file validation", () => {
  const bad: [string, unknown, RegExp][] = [
    ["not an object", [], /\(root\)/],
    ["no routes", file([]), /^routes:/],
    ["prefix without leading /", file([pub("api")]), /^routes\.0\.prefix:/],
    ["prefix with trailing /", file([pub("/api/")]), /^routes\.0\.prefix:/],
    ["prefix /", file([pub("/")]), /^routes\.0\.prefix:/],
    ["prefix with //", file([pub("/a//b")]), /^routes\.0\.prefix:/],
    ["prefix with dot segment", file([pub("/a/../b")]), /^routes\.0\.prefix: must not contain/],
    ["prefix percent-encoded", file([pub("/a%2Fb")]), /^routes\.0\.prefix:/],
    ["reserved prefix", file([pub("/healthz")]), /reserved/],
    ["duplicate prefix", file([pub("/a"), pub("/b"), pub("/a")]), /routes\.2\.prefix: duplicate/],
    [
      "unknown upstream",
      file([pub("/a", { upstream: "zz" })]),
      /routes\.0\.upstream: unknown upstream "zz"/,
    ],
    ["unknown policy type", file([pub("/a", { policy: { type: "open" } })]), /routes\.0\.policy/],
    ["unknown route key", file([pub("/a", { timeout: 1 })]), /routes\.0:.*timeout/],
    [
      "public with scopes",
      file([pub("/a", { policy: { type: "public", scopes: ["x"] } })]),
      /routes\.0\.policy/,
    ],
    [
      "bad scope token",
      file([pub("/a", { policy: { type: "authenticated", scopes: ["a b"] } })]),
      /routes\.0\.policy\.scopes/,
    ],
    [
      "unknown scopes key",
      file([pub("/a", { policy: { type: "authenticated", scopes: { get: ["x"] } } })]),
      /routes\.0\.policy\.scopes/,
    ],
    ["bad rewrite", file([pub("/a", { rewrite: "b" })]), /routes\.0\.rewrite:/],
    [
      "unknown variable",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the routes file's own syntax
      file([pub("/a")], { a: "${NOPE_URL}" }),
      /upstreams\.a: unknown variable \$\{NOPE_URL\}/,
    ],
    [
      "upstream not a URL",
      file([pub("/a")], { a: "auth:8000" }),
      /upstreams\.a: must be an http\(s\) URL|not a URL/,
    ],
    ["upstream ftp", file([pub("/a")], { a: "ftp://a" }), /upstreams\.a: must be an http\(s\) URL/],
    [
      "upstream with query",
      file([pub("/a")], { a: "http://a/?x=1" }),
      /upstreams\.a: must not have/,
    ],
  ];
  it.each(bad)("rejects %s with one line naming the problem", (_name, json, message) => {
    const run = () => buildRouteTable(json, VARS);
    expect(run).toThrow(RoutesFileError);
    expect(run).toThrow(message);
    try {
      run();
    } catch (err) {
      expect((err as Error).message).not.toContain("\n");
    }
  });

  const dir = mkdtempSync(join(tmpdir(), "gateway-routes-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("names the file when it is missing or not JSON", () => {
    const missing = join(dir, "missing.json");
    expect(() => loadRoutesFile(missing, VARS)).toThrow(`routes file ${missing}: cannot read file`);
    const broken = join(dir, "broken.json");
    writeFileSync(broken, "{ nope");
    expect(() => loadRoutesFile(broken, VARS)).toThrow(/routes file .*broken\.json: invalid JSON/);
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify(file([pub("/a/")])));
    expect(() => loadRoutesFile(bad, VARS)).toThrow(/routes file .*bad\.json: routes\.0\.prefix:/);
  });

  it("loads the repo's default routes file with interpolated upstreams", () => {
    const table = loadRoutesFile(DEFAULT_ROUTES_FILE, VARS);
    const byPrefix = Object.fromEntries(table.map((r) => [r.prefix, r]));
    expect(Object.keys(byPrefix).sort()).toEqual(["/.well-known", "/api/notes", "/auth", "/oauth"]);
    expect(byPrefix["/auth"]?.upstream).toEqual({ name: "auth", url: "http://auth:8000" });
    expect(byPrefix["/api/notes"]).toMatchObject({
      upstream: { name: "notes", url: "http://notes:8081" },
      rewrite: "/notes",
      policy: {
        type: "authenticated",
        scopes: { read: ["notes:read"], write: ["notes:write"] },
        roles: [],
      },
    });
  });

  it("applies one scope list to every method", () => {
    const [route] = buildRouteTable(
      file([pub("/a", { policy: { type: "authenticated", scopes: ["x"], roles: ["admin"] } })]),
      VARS,
    );
    expect(route?.policy).toEqual({
      type: "authenticated",
      scopes: { read: ["x"], write: ["x"] },
      roles: ["admin"],
    });
  });
});

describe("route matching", () => {
  const table = buildRouteTable(
    file([
      pub("/api"),
      pub("/api/notes", { rewrite: "/notes" }),
      pub("/api/notes/admin", { rewrite: "/" }),
      pub("/auth"),
    ]),
    VARS,
  );
  const cases: [string, string | null, string | null][] = [
    ["/api/notes", "/api/notes", "/notes"],
    ["/api/notes/", "/api/notes", "/notes/"],
    ["/api/notes/x/y", "/api/notes", "/notes/x/y"],
    ["/api/notesX", "/api", "/api/notesX"], // segment boundary: falls back to /api
    ["/api/notes/admin", "/api/notes/admin", "/"],
    ["/api/notes/admin/x", "/api/notes/admin", "/x"],
    ["/api/notes/adminx", "/api/notes", "/notes/adminx"],
    ["/API/notes", null, null], // case-sensitive
    ["/authx", null, null],
    ["/", null, null],
  ];
  it.each(cases)("%s → route %s, upstream path %s", (path, prefix, forwarded) => {
    const route = matchRoute(table, path);
    expect(route?.prefix ?? null).toBe(prefix);
    expect(route ? upstreamPath(route, path) : null).toBe(forwarded);
  });
});
