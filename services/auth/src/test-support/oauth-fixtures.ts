import type { ClientSeed } from "../clients/client-seed.js";
import { TestBrowser } from "./browser.js";
import type { TestAuth } from "./test-auth.js";
import { PASSWORD, uniqueEmail } from "./test-auth.js";

export const THIRD_PARTY_SECRET = "third-party-secret-0123456789abcdef";
/** Case L2: a secret with characters that form-urlencoding changes. */
export const REPORTS_SECRET = "a+b/c%=";
process.env.THIRD_PARTY_SECRET ??= THIRD_PARTY_SECRET;
process.env.SVC_REPORTS_SECRET ??= REPORTS_SECRET;

export const REDIRECT = "http://127.0.0.1:9/callback";

/** Clients the OAuth tests seed next to the repo's clients.json. */
export const EXTRA_CLIENTS: Array<Partial<ClientSeed> & { clientId: string }> = [
  {
    clientId: "third-party-app",
    name: "Third Party <App>",
    type: "confidential",
    secretEnv: "THIRD_PARTY_SECRET",
    grantTypes: ["authorization_code", "refresh_token"],
    redirectUris: [REDIRECT],
    postLogoutRedirectUris: ["http://127.0.0.1:9/signed-out"],
    allowedOrigins: ["http://127.0.0.1:9"],
    scopes: ["openid", "profile", "email", "offline_access", "notes:read"],
    defaultScopes: ["notes:read"],
    audience: "authflow-api",
  },
  {
    clientId: "first-party-web",
    name: "First-party web",
    type: "public",
    firstParty: true,
    grantTypes: ["authorization_code", "refresh_token"],
    redirectUris: [REDIRECT],
    postLogoutRedirectUris: ["http://127.0.0.1:9/signed-out"],
    scopes: ["openid", "profile", "email", "offline_access", "notes:read", "notes:write"],
    defaultScopes: ["notes:read"],
    audience: "authflow-api",
  },
  {
    clientId: "es256-app",
    name: "ES256 app",
    type: "public",
    firstParty: true,
    grantTypes: ["authorization_code"],
    redirectUris: [REDIRECT],
    scopes: ["openid"],
    audience: "authflow-api",
    idTokenAlg: "ES256",
  },
  {
    clientId: "svc:reports",
    name: "Reports service",
    type: "confidential",
    secretEnv: "SVC_REPORTS_SECRET",
    grantTypes: ["client_credentials"],
    scopes: ["notes:read", "openid"],
    audience: "authflow-api",
  },
];

/** Registers a user (with a name, for the profile scope) and returns its credentials. */
export async function createUser(t: TestAuth, name = "Ada Lovelace") {
  const email = uniqueEmail();
  const res = await t.app.inject({
    method: "POST",
    url: "/auth/register",
    payload: { email, password: PASSWORD, name },
  });
  return { email, password: PASSWORD, id: res.json().id as string };
}

/**
 * Drives the login page like a person: opens the authorization URL, fills in the form, and
 * returns the redirect back to the client (with `code` or `error`).
 */
export async function loginThroughBrowser(
  browser: TestBrowser,
  authorizationUrl: string,
  user: { email: string; password: string },
): Promise<{ location: string; page: string }> {
  const page = await browser.get(authorizationUrl);
  if (page.status === 302) return { location: page.headers.get("location") ?? "", page: "" };
  const html = await page.text();
  const res = await browser.submit(authorizationUrl, html, {
    email: user.email,
    password: user.password,
  });
  return {
    location: res.headers.get("location") ?? "",
    page: res.status === 200 ? await res.text() : "",
  };
}

export { TestBrowser };
