import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ListeningAuth, startListeningAuth } from "../test-support/listening-auth.js";
import {
  createUser,
  EXTRA_CLIENTS,
  loginThroughBrowser,
  REDIRECT,
  REPORTS_SECRET,
  TestBrowser,
  THIRD_PARTY_SECRET,
} from "../test-support/oauth-fixtures.js";
import { TEST_CLIENT_SECRETS } from "../test-support/test-auth.js";
import { atHash } from "../tokens/id-token-issuer.js";

// Certified-client conformance: panva's openid-client used exactly as its documentation shows,
// with only `allowInsecureRequests` for http://127.0.0.1 (issue #3).
let t: ListeningAuth;
const insecure = { execute: [oidc.allowInsecureRequests] };
const discover = (
  clientId: string,
  secret?: string,
  auth?: oidc.ClientAuth,
  metadata: Partial<oidc.ClientMetadata> = {},
) =>
  oidc.discovery(
    new URL(t.issuer),
    clientId,
    { ...metadata, ...(secret ? { client_secret: secret } : {}) },
    auth,
    insecure,
  );

beforeAll(async () => {
  t = await startListeningAuth("oidc", EXTRA_CLIENTS);
});
afterAll(() => t.close());

async function authorize(
  config: oidc.Configuration,
  browser: TestBrowser,
  user: { email: string; password: string },
  scope: string,
) {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT,
    scope,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
  });
  const { location } = await loginThroughBrowser(browser, url.href, user);
  const tokens = await oidc.authorizationCodeGrant(config, new URL(location), {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
  });
  return { tokens, nonce };
}

describe("openid-client against the auth service", () => {
  it("discovery is complete and true (RFC 8414, OIDC Discovery)", async () => {
    const config = await discover("first-party-web", undefined, oidc.None());
    const meta = config.serverMetadata();
    expect(meta.issuer).toBe(t.issuer);
    expect(meta).toMatchObject({
      authorization_endpoint: `${t.issuer}/oauth/authorize`,
      token_endpoint: `${t.issuer}/oauth/token`,
      userinfo_endpoint: `${t.issuer}/oauth/userinfo`,
      revocation_endpoint: `${t.issuer}/oauth/revoke`,
      introspection_endpoint: `${t.issuer}/oauth/introspect`,
      end_session_endpoint: `${t.issuer}/oauth/logout`,
      jwks_uri: `${t.issuer}/.well-known/jwks.json`,
      response_types_supported: ["code"],
      code_challenge_methods_supported: ["S256"],
      subject_types_supported: ["public"],
    });
    expect(meta.id_token_signing_alg_values_supported).toContain("RS256");
    expect(meta.grant_types_supported).toEqual(
      expect.arrayContaining(["authorization_code", "refresh_token", "client_credentials"]),
    );
    expect(meta.token_endpoint_auth_methods_supported).toEqual(
      expect.arrayContaining(["client_secret_basic", "client_secret_post", "none"]),
    );
    expect(meta.scopes_supported).toContain("openid");
    expect(meta.claims_supported).toEqual(expect.arrayContaining(["sub", "email", "name"]));
  });

  it("the issuer comes from configuration, never from Host or X-Forwarded-Host", async () => {
    const res = await fetch(`${t.issuer}/.well-known/openid-configuration`, {
      headers: { "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" },
    });
    const meta = (await res.json()) as Record<string, string>;
    expect(meta.issuer).toBe(t.issuer);
    expect(JSON.stringify(meta)).not.toContain("evil.example");
  });

  it("authorization code + PKCE → ID token → userinfo → refresh → introspect → revoke → inactive", async () => {
    const user = await createUser(t);
    const config = await discover("first-party-web", undefined, oidc.None());
    const browser = new TestBrowser();
    const { tokens, nonce } = await authorize(
      config,
      browser,
      user,
      "openid profile email notes:read offline_access",
    );

    expect(tokens.token_type.toLowerCase()).toBe("bearer");
    expect(tokens.refresh_token).toBeDefined();
    const claims = tokens.claims();
    expect(claims).toMatchObject({ iss: t.issuer, sub: user.id, aud: "first-party-web", nonce });
    expect(claims?.auth_time).toEqual(expect.any(Number));
    expect(claims?.sid).toEqual(expect.any(String));
    expect(claims?.at_hash).toBe(atHash(tokens.access_token));
    const header = JSON.parse(
      Buffer.from((tokens.id_token ?? "").split(".")[0] ?? "", "base64url").toString(),
    );
    expect(header.alg).toBe("RS256");

    const info = await oidc.fetchUserInfo(config, tokens.access_token, user.id);
    expect(info).toEqual({
      sub: user.id,
      email: user.email,
      email_verified: false,
      name: "Ada Lovelace",
    });

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token as string);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(refreshed.access_token).not.toBe(tokens.access_token);

    const rs = await discover(
      "notes-service",
      TEST_CLIENT_SECRETS["notes-service"],
      oidc.ClientSecretBasic(),
    );
    const active = await oidc.tokenIntrospection(rs, refreshed.access_token);
    expect(active).toMatchObject({
      active: true,
      client_id: "first-party-web",
      sub: user.id,
      scope: "openid profile email notes:read offline_access",
      token_type: "Bearer",
    });
    expect(active.exp).toEqual(expect.any(Number));
    expect(active.iat).toEqual(expect.any(Number));

    await oidc.tokenRevocation(config, refreshed.access_token);
    expect(await oidc.tokenIntrospection(rs, refreshed.access_token)).toEqual({ active: false });
    await expect(oidc.fetchUserInfo(config, refreshed.access_token, user.id)).rejects.toThrow();

    const rtActive = await oidc.tokenIntrospection(rs, refreshed.refresh_token as string);
    expect(rtActive).toMatchObject({ active: true, token_type: "refresh_token" });
    await oidc.tokenRevocation(config, refreshed.refresh_token as string);
    expect(await oidc.tokenIntrospection(rs, refreshed.refresh_token as string)).toEqual({
      active: false,
    });
    await expect(
      oidc.refreshTokenGrant(config, refreshed.refresh_token as string),
    ).rejects.toMatchObject({
      error: "invalid_grant",
    });
  });

  it("a second authorization skips the password (login session cookie)", async () => {
    const user = await createUser(t);
    const config = await discover("first-party-web", undefined, oidc.None());
    const browser = new TestBrowser();
    await authorize(config, browser, user, "openid");
    const session = browser.cookies.get("authflow_session");
    expect(session).toBeDefined();
    const again = await authorize(config, browser, { email: "", password: "" }, "openid");
    expect(again.tokens.claims()?.sub).toBe(user.id);
  });

  it("third-party clients get a consent step; Deny redirects with access_denied", async () => {
    const user = await createUser(t);
    const config = await discover("third-party-app", THIRD_PARTY_SECRET);
    const browser = new TestBrowser();
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: "openid email",
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state,
    }).href;
    const { page } = await loginThroughBrowser(browser, url, user);
    expect(page).toContain("Allow access?");
    expect(page).toContain("Third Party &lt;App&gt;"); // escaped
    expect(page).toContain("<code>email</code>");

    const deny = await browser.submit(url, page, { decision: "deny" });
    const denied = new URL(deny.headers.get("location") ?? "");
    expect(denied.searchParams.get("error")).toBe("access_denied");
    expect(denied.searchParams.get("state")).toBe(state);

    const consentAgain = await (await browser.get(url)).text();
    const allow = await browser.submit(url, consentAgain, { decision: "allow" });
    const tokens = await oidc.authorizationCodeGrant(
      config,
      new URL(allow.headers.get("location") ?? ""),
      {
        pkceCodeVerifier: verifier,
        expectedState: state,
      },
    );
    expect(tokens.claims()?.sub).toBe(user.id);
  });

  it("signs ID tokens with ES256 for clients registered for it", async () => {
    const user = await createUser(t);
    const config = await discover("es256-app", undefined, oidc.None(), {
      id_token_signed_response_alg: "ES256",
    });
    const { tokens } = await authorize(config, new TestBrowser(), user, "openid");
    const header = JSON.parse(
      Buffer.from((tokens.id_token ?? "").split(".")[0] ?? "", "base64url").toString(),
    );
    expect(header.alg).toBe("ES256");
    expect(tokens.refresh_token).toBeUndefined(); // es256-app may not refresh
  });

  it("client_credentials: sub is the client id, no refresh token", async () => {
    const config = await discover(
      "reports-job",
      TEST_CLIENT_SECRETS["reports-job"],
      oidc.ClientSecretBasic(),
    );
    const tokens = await oidc.clientCredentialsGrant(config, { scope: "notes:read" });
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.scope).toBe("notes:read");
    const payload = JSON.parse(
      Buffer.from(tokens.access_token.split(".")[1] ?? "", "base64url").toString(),
    );
    expect(payload).toMatchObject({
      sub: "reports-job",
      client_id: "reports-job",
      scope: "notes:read",
    });
    await expect(
      oidc.clientCredentialsGrant(config, { scope: "notes:write" }),
    ).rejects.toMatchObject({
      error: "invalid_scope",
    });
  });

  it("RP-initiated logout ends the session, revokes its refresh family and access tokens", async () => {
    const user = await createUser(t);
    const config = await discover("first-party-web", undefined, oidc.None());
    const browser = new TestBrowser();
    const { tokens } = await authorize(config, browser, user, "openid offline_access");
    const url = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token as string,
      post_logout_redirect_uri: "http://127.0.0.1:9/signed-out",
      state: "bye",
    });
    const res = await browser.get(url.href);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("http://127.0.0.1:9/signed-out?state=bye");
    expect(browser.cookies.has("authflow_session")).toBe(false);

    await expect(
      oidc.refreshTokenGrant(config, tokens.refresh_token as string),
    ).rejects.toMatchObject({
      error: "invalid_grant",
    });
    const rs = await discover(
      "notes-service",
      TEST_CLIENT_SECRETS["notes-service"],
      oidc.ClientSecretBasic(),
    );
    expect(await oidc.tokenIntrospection(rs, tokens.access_token)).toEqual({ active: false });
    // The browser session is gone: the next authorization asks for the password again.
    const page = await browser.get(
      oidc.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT,
        scope: "openid",
        code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
        code_challenge_method: "S256",
      }).href,
    );
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="password"');
  });

  it("third party + prompt=login: sign in, consent, code (no login/consent loop)", async () => {
    const user = await createUser(t);
    const config = await discover("third-party-app", THIRD_PARTY_SECRET);
    const browser = new TestBrowser();
    const firstParty = await discover("first-party-web", undefined, oidc.None());
    await authorize(firstParty, browser, user, "openid"); // an existing session
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: "openid",
      prompt: "login",
      max_age: "0",
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
    }).href;
    const login = await browser.get(url);
    expect(await login.clone().text()).toContain('name="password"'); // re-authentication asked
    const consent = await browser.submit(url, await login.text(), {
      email: user.email,
      password: user.password,
    });
    const consentHtml = await consent.text();
    expect(consentHtml).toContain("Allow access?");
    await new Promise((r) => setTimeout(r, 1100)); // consent takes longer than max_age
    const done = await browser.submit(url, consentHtml, { decision: "allow" });
    const location = new URL(done.headers.get("location") ?? "");
    expect(location.searchParams.get("code")).toMatch(/^[\w-]{43}$/);
    // Without a proof of this flow's login, consent does not count as one: sign in again.
    const again = await (await browser.get(url)).text();
    expect(again).toContain('name="password"');
  });

  it("a client_credentials token is not a user: userinfo answers 401, never 500", async () => {
    const config = await discover("svc:reports", REPORTS_SECRET, oidc.ClientSecretPost());
    const tokens = await oidc.clientCredentialsGrant(config, { scope: "openid notes:read" });
    const res = await fetch(`${t.issuer}/oauth/userinfo`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("logout with another user's ID token does not sign this browser out", async () => {
    const victim = await createUser(t);
    const attacker = await createUser(t);
    const config = await discover("first-party-web", undefined, oidc.None());
    const victimBrowser = new TestBrowser();
    await authorize(config, victimBrowser, victim, "openid");
    const { tokens } = await authorize(config, new TestBrowser(), attacker, "openid");
    const res = await victimBrowser.get(
      oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token as string }).href,
    );
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie().some((c) => c.startsWith("authflow_session="))).toBe(false);
    expect(await res.text()).toContain("Sign out?"); // asked, not done
    expect(victimBrowser.cookies.has("authflow_session")).toBe(true);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token ?? "")).resolves.toBeDefined();
    const next = await authorize(config, victimBrowser, { email: "", password: "" }, "openid");
    expect(next.tokens.claims()?.sub).toBe(victim.id); // still signed in, no password asked
  });
});
