import { createHash } from "node:crypto";
import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ListeningAuth, startListeningAuth } from "../test-support/listening-auth.js";
import {
  createUser,
  EXTRA_CLIENTS,
  loginThroughBrowser,
  REDIRECT,
  TestBrowser,
} from "../test-support/oauth-fixtures.js";

let t: ListeningAuth;
beforeAll(async () => {
  t = await startListeningAuth("authorize", EXTRA_CLIENTS);
});
afterAll(() => t.close());

const CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"; // RFC 7636 Appendix B

function authorizeUrl(params: Record<string, string | undefined>): string {
  const url = new URL(`${t.issuer}/oauth/authorize`);
  const defaults: Record<string, string> = {
    client_id: "first-party-web",
    redirect_uri: REDIRECT,
    response_type: "code",
    scope: "openid",
    state: "xyz",
    code_challenge: CHALLENGE,
    code_challenge_method: "S256",
  };
  for (const [k, v] of Object.entries({ ...defaults, ...params }))
    if (v !== undefined) url.searchParams.set(k, v);
  return url.href;
}

async function redirectedError(params: Record<string, string | undefined>) {
  const res = await fetch(authorizeUrl(params), { redirect: "manual" });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get("location") ?? "");
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
  expect(location.searchParams.get("iss")).toBe(t.issuer);
  return location.searchParams;
}

describe("GET /oauth/authorize errors (RFC 6749 §4.1.2.1)", () => {
  it.each([
    ["unknown client", { client_id: "nobody" }],
    ["missing client_id", { client_id: undefined }],
    ["unregistered redirect_uri", { redirect_uri: "http://127.0.0.1:9/other" }],
    ["redirect_uri with an extra query", { redirect_uri: `${REDIRECT}?x=1` }],
    ["redirect_uri with a trailing slash", { redirect_uri: `${REDIRECT}/` }],
    ["redirect_uri in another case", { redirect_uri: REDIRECT.toUpperCase() }],
    ["missing redirect_uri", { redirect_uri: undefined }],
  ])("%s → an error page, never a redirect", async (_label, params) => {
    const res = await fetch(authorizeUrl(params), { redirect: "manual" });
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
  });

  it("L3: a code_challenge without a method → invalid_request", async () => {
    const p = await redirectedError({ code_challenge_method: undefined });
    expect(p.get("error")).toBe("invalid_request");
    expect(p.get("state")).toBe("xyz");
  });

  it("L3: code_challenge_method=plain → invalid_request, and discovery lists only S256", async () => {
    const p = await redirectedError({
      code_challenge_method: "plain",
      code_challenge: "a".repeat(43),
    });
    expect(p.get("error")).toBe("invalid_request");
    const meta = (await (
      await fetch(`${t.issuer}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(meta.code_challenge_methods_supported).toEqual(["S256"]);
  });

  it.each([
    ["missing code_challenge (PKCE required)", { code_challenge: undefined }, "invalid_request"],
    ["malformed code_challenge", { code_challenge: "short" }, "invalid_request"],
    ["response_type=token", { response_type: "token" }, "unsupported_response_type"],
    ["missing response_type", { response_type: undefined }, "unsupported_response_type"],
    ["a scope the client may not ask for", { scope: "openid admin" }, "invalid_scope"],
    ["response_mode=fragment", { response_mode: "fragment" }, "invalid_request"],
    ["an unknown prompt", { prompt: "select_account" }, "invalid_request"],
    ["a request object", { request: "eyJhbGciOiJub25lIn0.e30." }, "request_not_supported"],
    [
      "a client without the code grant",
      { client_id: "svc:reports", redirect_uri: undefined },
      null,
    ],
  ])("%s → %s", async (_label, params, error) => {
    if (error === null) {
      const res = await fetch(authorizeUrl(params), { redirect: "manual" });
      expect(res.status).toBe(400); // no registered redirect URI: shown, not redirected
      return;
    }
    expect((await redirectedError(params)).get("error")).toBe(error);
  });

  it("prompt=none without a session → login_required", async () => {
    expect((await redirectedError({ prompt: "none" })).get("error")).toBe("login_required");
  });

  it("unknown parameters are ignored, even ones named like object properties (RFC 6749 §3.1)", async () => {
    const res = await fetch(`${authorizeUrl({})}&constructor=x&toString=y&__proto__=z`, {
      redirect: "manual",
    });
    expect(res.status).toBe(200); // the login page
  });

  it("a repeated parameter → invalid_request", async () => {
    const res = await fetch(`${authorizeUrl({})}&scope=openid`, { redirect: "manual" });
    expect(new URL(res.headers.get("location") ?? "").searchParams.get("error")).toBe(
      "invalid_request",
    );
  });
});

describe("the login form", () => {
  it("renders without scripts, with a CSRF token, not cacheable or frameable", async () => {
    const res = await fetch(authorizeUrl({ state: '"><script>alert(1)</script>' }));
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).not.toContain("<script>");
    expect(html).toContain("&quot;&gt;&lt;script&gt;");
    expect(html).toMatch(/name="csrf" value="[\w-]{43}"/);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("authflow_csrf="));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\/oauth/);
  });

  it("a wrong password shows the form again with 401 and an error", async () => {
    const user = await createUser(t);
    const { page } = await loginThroughBrowser(new TestBrowser(), authorizeUrl({}), {
      ...user,
      password: "wrong password!!",
    });
    expect(page).toBe(""); // 401 page
    const browser = new TestBrowser();
    const first = await browser.get(authorizeUrl({}));
    const res = await browser.submit(authorizeUrl({}), await first.text(), {
      email: user.email,
      password: "nope",
    });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain("Email or password is incorrect.");
  });

  it("a post without the CSRF token, or with another browser's, is refused with 403", async () => {
    const user = await createUser(t);
    const browser = new TestBrowser();
    const html = await (await browser.get(authorizeUrl({}))).text();
    const noToken = await browser.submit(authorizeUrl({}), html, {
      email: user.email,
      password: user.password,
      csrf: "",
    });
    expect(noToken.status).toBe(403);
    const attacker = new TestBrowser();
    const forged = await attacker.submit(authorizeUrl({}), html, {
      email: user.email,
      password: user.password,
    });
    expect(forged.status).toBe(403);
  });

  it("sets the session cookie HttpOnly, SameSite=Lax, not Secure over http", async () => {
    const user = await createUser(t);
    const browser = new TestBrowser();
    const html = await (await browser.get(authorizeUrl({}))).text();
    const res = await browser.submit(authorizeUrl({}), html, {
      email: user.email,
      password: user.password,
    });
    expect(res.status).toBe(303);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("authflow_session="));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
  });
});

describe("code redemption", () => {
  async function codeFor(user: { email: string; password: string }, verifier: string) {
    const url = authorizeUrl({
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      scope: "openid offline_access",
    });
    const { location } = await loginThroughBrowser(new TestBrowser(), url, user);
    return new URL(location).searchParams.get("code") ?? "";
  }
  const redeem = (fields: Record<string, string>) =>
    fetch(`${t.issuer}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        client_id: "first-party-web",
        redirect_uri: REDIRECT,
        ...fields,
      }),
    });

  it("a second use → invalid_grant, and what the first use issued is revoked", async () => {
    const user = await createUser(t);
    const verifier = oidc.randomPKCECodeVerifier();
    const code = await codeFor(user, verifier);
    const first = await redeem({ code, code_verifier: verifier });
    expect(first.status).toBe(200);
    const tokens = (await first.json()) as { access_token: string; refresh_token: string };
    const second = await redeem({ code, code_verifier: verifier });
    expect(second.status).toBe(400);
    expect(((await second.json()) as { error: string }).error).toBe("invalid_grant");
    const refresh = await fetch(`${t.issuer}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "refresh_token",
        client_id: "first-party-web",
        refresh_token: tokens.refresh_token,
      }),
    });
    expect(refresh.status).toBe(400);
    const userinfo = await fetch(`${t.issuer}/oauth/userinfo`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(userinfo.status).toBe(401);
  });

  it("a wrong client or verifier does not burn the code for its rightful client", async () => {
    const user = await createUser(t);
    const verifier = oidc.randomPKCECodeVerifier();
    const code = await codeFor(user, verifier);
    expect((await redeem({ code, code_verifier: `${verifier.slice(0, -1)}x` })).status).toBe(400);
    expect((await redeem({ code, code_verifier: verifier, client_id: "es256-app" })).status).toBe(
      400,
    );
    expect((await redeem({ code, code_verifier: verifier })).status).toBe(200);
  });

  it("10 concurrent redemptions of one code → exactly one succeeds", async () => {
    const user = await createUser(t);
    const verifier = oidc.randomPKCECodeVerifier();
    const code = await codeFor(user, verifier);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => redeem({ code, code_verifier: verifier })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(400)]);
  });

  it.each<[string, string, (v: string) => Record<string, string>]>([
    ["a wrong code_verifier", "invalid_grant", (v) => ({ code_verifier: `${v.slice(0, -1)}x` })],
    ["a missing code_verifier", "invalid_request", () => ({ code_verifier: "" })],
    [
      "another redirect_uri",
      "invalid_grant",
      (v) => ({ code_verifier: v, redirect_uri: "http://127.0.0.1:9/other" }),
    ],
    ["another client", "invalid_grant", (v) => ({ code_verifier: v, client_id: "es256-app" })],
  ])("%s → %s", async (_label, error, fields) => {
    const user = await createUser(t);
    const verifier = oidc.randomPKCECodeVerifier();
    const code = await codeFor(user, verifier);
    const res = await redeem({ code, ...fields(verifier) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe(error);
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("an expired code (60 s) is refused", async () => {
    const user = await createUser(t);
    const verifier = oidc.randomPKCECodeVerifier();
    const code = await codeFor(user, verifier);
    const key = `${t.config.REDIS_KEY_PREFIX}code:${createHash("sha256").update(code).digest("base64url")}`;
    const ttl = await t.app.authContext.redis.ttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
    await t.app.authContext.redis.del(key); // what expiry does, without waiting a minute
    expect((await redeem({ code, code_verifier: verifier })).status).toBe(400);
  });
});
