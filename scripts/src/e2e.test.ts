import { createHmac, type JsonWebKey } from "node:crypto";
import { TestBrowser } from "@authflow/auth/testing";
import {
  createTestDatabase,
  deleteRedisKeys,
  type TestDatabase,
  testRedisPrefix,
  testRedisUrl,
} from "@authflow/service-kit/testing";
import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDemo } from "./demo-flow.js";
import { freePort } from "./free-port.js";
import { type Stack, startStack } from "./stack.js";

type JwkSet = { keys: Array<JsonWebKey & { alg?: string }> };

// The three services as real processes on free ports, their own databases and Redis prefix.
let stack: Stack | undefined;
let gateway = "";
let notesUrl = "";
let redisPrefix = "";
const databases: TestDatabase[] = [];
const logs: string[] = [];

beforeAll(async () => {
  const [authDb, notesDb] = await Promise.all([
    createTestDatabase("e2e_auth"),
    createTestDatabase("e2e_notes"),
  ]);
  databases.push(authDb, notesDb);
  const [auth, notes, gw] = await Promise.all([freePort(), freePort(), freePort()]);
  const prefix = testRedisPrefix("e2e");
  redisPrefix = prefix;
  notesUrl = `http://127.0.0.1:${notes}`;
  gateway = `http://127.0.0.1:${gw}`;
  const common = {
    HOST: "127.0.0.1",
    ISSUER: gateway,
    AUTH_SERVER_URL: `http://127.0.0.1:${auth}`,
    LOG_LEVEL: "info",
  };
  stack = await startStack({
    env: {
      auth: {
        ...common,
        PORT: String(auth),
        DATABASE_URL: authDb.url,
        REDIS_URL: testRedisUrl(),
        REDIS_KEY_PREFIX: prefix,
        SIGNING_KEY_SECRET: "e2e-test-signing-secret-0123456789abcdef",
        NOTES_SERVICE_CLIENT_SECRET: "e2e-notes-service-secret",
        REPORTS_JOB_CLIENT_SECRET: "e2e-reports-job-secret",
      },
      notes: {
        ...common,
        PORT: String(notes),
        DATABASE_URL: notesDb.url,
        REDIS_URL: testRedisUrl(),
        REDIS_KEY_PREFIX: prefix,
      },
      gateway: {
        ...common,
        PORT: String(gw),
        REDIS_URL: testRedisUrl(),
        REDIS_KEY_PREFIX: prefix,
        NOTES_SERVICE_URL: `http://127.0.0.1:${notes}`,
      },
    },
    onLine: (service, line) => logs.push(`${service}: ${line}`),
    startTimeoutMs: 45_000,
  });
}, 90_000);

afterAll(async () => {
  await stack?.stop();
  for (const db of databases) await db.drop();
  if (redisPrefix) await deleteRedisKeys(testRedisUrl(), redisPrefix); // nothing left behind
});

describe("end to end across the real processes", () => {
  it("runs the demo flow through the gateway", async () => {
    const steps: string[] = [];
    await runDemo(gateway, (name) => steps.push(name));
    expect(steps).toEqual([
      "register",
      "login",
      "create note",
      "list notes",
      "refresh",
      "reuse detected",
      "log in again",
      "logout",
      "refused after logout",
      "access token revoked",
    ]);
  });

  it("a logged-out session's access token is refused by the gateway and by notes itself", async () => {
    const json = (body: unknown) => ({
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const email = `revoke-${Date.now()}@example.com`;
    const password = "another long passphrase";
    await fetch(`${gateway}/auth/register`, json({ email, password }));
    const login = (await (
      await fetch(`${gateway}/auth/login`, json({ email, password }))
    ).json()) as Record<string, string>;
    const auth = { headers: { authorization: `Bearer ${login.access_token}` } };
    expect((await fetch(`${notesUrl}/notes`, auth)).status).toBe(200);
    await fetch(`${gateway}/auth/logout`, json({ refresh_token: login.refresh_token }));
    const direct = await fetch(`${notesUrl}/notes`, auth);
    expect(direct.status).toBe(401);
    expect(((await direct.json()) as { code: string }).code).toBe("token_revoked");
    expect((await fetch(`${gateway}/api/notes`, auth)).status).toBe(401);
  });

  it("openid-client completes code + PKCE, userinfo, refresh and logout through the gateway", async () => {
    const email = `oidc-${Date.now()}@example.com`;
    const password = "a passphrase for the oidc flow";
    await fetch(`${gateway}/auth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password, name: "Grace" }),
    });
    const config = await oidc.discovery(new URL(gateway), "authflow-app", undefined, oidc.None(), {
      execute: [oidc.allowInsecureRequests],
    });
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: "http://localhost:5173/callback",
      scope: "openid email profile notes:read",
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state,
    }).href;
    const browser = new TestBrowser();
    const page = await browser.get(url);
    const redirect = await browser.submit(url, await page.text(), { email, password });
    const tokens = await oidc.authorizationCodeGrant(
      config,
      new URL(redirect.headers.get("location") ?? ""),
      {
        pkceCodeVerifier: verifier,
        expectedState: state,
      },
    );
    const sub = tokens.claims()?.sub ?? "";
    expect(await oidc.fetchUserInfo(config, tokens.access_token, sub)).toMatchObject({
      email,
      name: "Grace",
    });
    expect(
      (
        await fetch(`${gateway}/api/notes`, {
          headers: { authorization: `Bearer ${tokens.access_token}` },
        })
      ).status,
    ).toBe(200);
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token as string);
    const logout = await browser.get(
      oidc.buildEndSessionUrl(config, {
        id_token_hint: tokens.id_token as string,
        post_logout_redirect_uri: "http://localhost:5173/",
      }).href,
    );
    expect(logout.headers.get("location")).toBe("http://localhost:5173/");
    await expect(
      oidc.refreshTokenGrant(config, refreshed.refresh_token as string),
    ).rejects.toMatchObject({
      error: "invalid_grant",
    });
    expect(
      (
        await fetch(`${gateway}/api/notes`, {
          headers: { authorization: `Bearer ${refreshed.access_token}` },
        })
      ).status,
    ).toBe(401);
  });

  it("serves discovery and the JWKS through the gateway with the configured issuer", async () => {
    const res = await fetch(`${gateway}/.well-known/openid-configuration`, {
      headers: { host: "evil.example", "x-forwarded-host": "evil.example" },
    });
    const meta = (await res.json()) as { issuer: string };
    expect(meta.issuer).toBe(gateway);
    const jwks = (await (await fetch(`${gateway}/.well-known/jwks.json`)).json()) as JwkSet;
    expect(jwks.keys.length).toBeGreaterThanOrEqual(1);
  });

  it("T1: an HS256 token keyed with the auth service's own public key is refused", async () => {
    const jwks = (await (await fetch(`${gateway}/.well-known/jwks.json`)).json()) as JwkSet;
    const { createPublicKey } = await import("node:crypto");
    const pem = createPublicKey({
      key: jwks.keys.find((k) => k.alg === "ES256") as JsonWebKey,
      format: "jwk",
    })
      .export({ type: "spki", format: "pem" })
      .toString();
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const now = Math.floor(Date.now() / 1000);
    for (const secret of [pem, `\n${pem}`, `  ${pem}`]) {
      const input = `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ sub: "admin", exp: now + 3600 })}`;
      const token = `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
      const res = await fetch(`${gateway}/api/notes`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toContain('error="invalid_token"');
    }
  });

  it("G2: dot segments sent raw never reach the notes service", async () => {
    const { request } = await import("node:http");
    const url = new URL(gateway);
    for (const path of [
      "/auth/../api/notes",
      "/auth/%2e%2e/api/notes",
      "/auth/..%2fapi/notes",
      "/auth/.%2e/api/notes",
    ]) {
      const status = await new Promise<number>((resolve, reject) => {
        const req = request({ host: url.hostname, port: url.port, path, method: "GET" }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on("error", reject);
        req.end();
      });
      expect(status).toBe(400); // refused as invalid_path before any route is matched
    }
  });

  it("logs one JSON line per event and no secret in any of them", () => {
    expect(logs.some((l) => l.includes('"audit"'))).toBe(true);
    const joined = logs.join("\n");
    expect(joined).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}\./); // a JWT
    expect(joined).not.toContain("a long demo passphrase");
  });
});
