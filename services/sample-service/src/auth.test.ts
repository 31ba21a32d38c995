import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { noteListSchema, noteSchema } from "./routes/notes/schemas.js";
import { type Harness, ISSUER, startHarness } from "./test-support/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness("auth");
});
afterAll(() => h?.close());

const NOTE = "00000000-0000-4000-8000-000000000000";
const endpoints = [
  { method: "GET", url: "/notes", scope: "notes:read" },
  { method: "POST", url: "/notes", scope: "notes:write" },
  { method: "GET", url: `/notes/${NOTE}`, scope: "notes:read" },
  { method: "DELETE", url: `/notes/${NOTE}`, scope: "notes:write" },
] as const;

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");

describe("authentication", () => {
  it.each(endpoints)("$method $url without a token → 401 with WWW-Authenticate", async (e) => {
    const res = await h.app.inject({
      method: e.method,
      url: e.url,
      payload: e.method === "POST" ? { title: "x", body: "" } : undefined,
    });
    expect(res.statusCode).toBe(401);
    expect(res.headers["www-authenticate"]).toMatch(/^Bearer\b/);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 401, code: expect.any(String) });
  });

  it("an unauthenticated POST with a malformed body is a 401, not a 400", async () => {
    const res = await h.app.inject({
      method: "POST",
      url: "/notes",
      headers: { "content-type": "application/json" },
      payload: "{not json",
    });
    expect(res.statusCode).toBe(401);
  });

  it("X-User-* headers without a token authenticate nobody", async () => {
    const res = await h.app.inject({
      url: "/notes",
      headers: { "x-user-id": "alice", "x-user-scopes": "notes:read notes:write" },
    });
    expect(res.statusCode).toBe(401);
  });

  const now = () => Math.floor(Date.now() / 1000);
  it.each([
    ["T2 alg none", async () => `${b64({ alg: "none", typ: "at+jwt" })}.${b64({ sub: "x" })}.`],
    ["T2 two segments", async () => "abc.def"],
    ["T2 64 KiB of a", async () => "a".repeat(64 * 1024)],
    ["T3 iss with a trailing slash", () => h.issuer.sign({ iss: `${ISSUER}/` })],
    ["T3 iss as an array", () => h.issuer.sign({ iss: [ISSUER] })],
    ["wrong audience", () => h.issuer.sign({ aud: "other-api" })],
    ["expired", () => h.issuer.sign({ exp: now() - 600 })],
    ["an ID token (typ JWT)", () => h.issuer.sign({}, { typ: "JWT" })],
    [
      "T1 HS256 keyed with the public key PEM",
      async () => {
        const input = `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ sub: "admin", exp: now() + 3600 })}`;
        const mac = createHmac("sha256", await h.issuer.publicKeyPem()).update(input);
        return `${input}.${mac.digest("base64url")}`;
      },
    ],
  ])("%s → 401 invalid_token, never 5xx", async (_label, make) => {
    const res = await h.app.inject({
      url: "/notes",
      headers: { authorization: `Bearer ${await make()}` },
    });
    expect(res.statusCode).toBe(401);
    expect(res.headers["www-authenticate"]).toMatch(/error="invalid_token"/);
  });

  it('T3 aud ["other", our audience] is accepted', async () => {
    const token = await h.issuer.sign({ sub: "aud-user", aud: ["other", h.config.AUDIENCE] });
    const res = await h.app.inject({
      url: "/notes",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(200);
  });
});

describe("authorization by scope", () => {
  it.each(endpoints)("$method $url without $scope → 403 insufficient_scope", async (e) => {
    const other = e.scope === "notes:read" ? "notes:write" : "notes:read";
    const res = await h.app.inject({
      method: e.method,
      url: e.url,
      headers: await h.auth("reader", other),
      payload: e.method === "POST" ? { title: "x", body: "" } : undefined,
    });
    expect(res.statusCode).toBe(403);
    expect(res.headers["www-authenticate"]).toMatch(/error="insufficient_scope"/);
    expect(res.headers["www-authenticate"]).toContain(e.scope);
    expect(res.json()).toMatchObject({ status: 403, code: "insufficient_scope" });
  });

  it("a read-only token cannot create a note (nothing is stored)", async () => {
    await h.app.inject({
      method: "POST",
      url: "/notes",
      headers: await h.auth("ro", "notes:read"),
      payload: { title: "sneaky", body: "" },
    });
    const list = await h.app.inject({ url: "/notes", headers: await h.auth("ro", "notes:read") });
    expect(list.json().items).toEqual([]);
  });
});

describe("G3 spoofed identity headers are ignored (service level)", () => {
  const spoofs = [
    { "x-user-id": "victim", "x-user-scopes": "admin", "x-user-roles": "admin" },
    { "X-User-Id": "victim", "X-User-Scopes": "admin" },
    { "X-USER-ID": "victim", "X-USER-SCOPES": "notes:read notes:write" },
  ];

  it.each(spoofs)("a valid token for mallory plus %o acts as mallory only", async (spoof) => {
    const created = await h.app.inject({
      method: "POST",
      url: "/notes",
      headers: await h.auth("victim"),
      payload: { title: "victim's secret", body: "" },
    });
    const secret = noteSchema.parse(created.json());
    const as = async (scope?: string) => ({ ...(await h.auth("mallory", scope)), ...spoof });

    const get = await h.app.inject({ url: `/notes/${secret.id}`, headers: await as() });
    expect(get.statusCode).toBe(404);

    const list = noteListSchema.parse(
      (await h.app.inject({ url: "/notes", headers: await as() })).json(),
    );
    expect(list.items.map((n) => n.id)).not.toContain(secret.id);

    const del = await h.app.inject({
      method: "DELETE",
      url: `/notes/${secret.id}`,
      headers: await as(),
    });
    expect(del.statusCode).toBe(404);

    // A spoofed scope header grants nothing the token lacks.
    const post = await h.app.inject({
      method: "POST",
      url: "/notes",
      headers: await as("notes:read"),
      payload: { title: "as victim?", body: "" },
    });
    expect(post.statusCode).toBe(403);

    // What mallory creates belongs to mallory, not to the header's user.
    const own = await h.app.inject({
      method: "POST",
      url: "/notes",
      headers: await as(),
      payload: { title: "mallory's", body: "" },
    });
    const mine = noteSchema.parse(own.json());
    const victimView = await h.app.inject({
      url: `/notes/${mine.id}`,
      headers: await h.auth("victim"),
    });
    expect(victimView.statusCode).toBe(404);
    const victimStill = await h.app.inject({
      url: `/notes/${secret.id}`,
      headers: await h.auth("victim"),
    });
    expect(victimStill.statusCode).toBe(200);
  });
});
