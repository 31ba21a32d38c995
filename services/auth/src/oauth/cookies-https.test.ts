import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hiddenFields } from "../test-support/browser.js";
import { PASSWORD, startTestAuth, type TestAuth, uniqueEmail } from "../test-support/test-auth.js";

// Behind a TLS-terminating gateway the issuer is https://…: cookies must follow the scheme.
let t: TestAuth;
beforeAll(async () => {
  t = await startTestAuth("https", { ISSUER: "https://auth.example.com" });
});
afterAll(() => t.close());

const CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

describe("cookies when the issuer is HTTPS", () => {
  it("the CSRF and session cookies are Secure, and the redirect carries iss=https://…", async () => {
    const email = uniqueEmail();
    await t.app.inject({
      method: "POST",
      url: "/auth/register",
      payload: { email, password: PASSWORD },
    });
    const query = new URLSearchParams({
      client_id: "authflow-app",
      redirect_uri: "http://localhost:5173/callback",
      response_type: "code",
      scope: "openid",
      code_challenge: CHALLENGE,
      code_challenge_method: "S256",
    });
    const page = await t.app.inject({ url: `/oauth/authorize?${query}` });
    const csrfCookie = String(page.headers["set-cookie"]);
    expect(csrfCookie).toMatch(/authflow_csrf=.*; Secure/i);
    const cookie = csrfCookie.split(";")[0] ?? "";
    const res = await t.app.inject({
      method: "POST",
      url: "/oauth/authorize",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      payload: new URLSearchParams({
        ...hiddenFields(page.body),
        email,
        password: PASSWORD,
      }).toString(),
    });
    expect(res.statusCode).toBe(303);
    expect(String(res.headers["set-cookie"])).toMatch(
      /authflow_session=.*HttpOnly.*Secure|authflow_session=.*Secure.*HttpOnly/i,
    );
    expect(new URL(String(res.headers.location)).searchParams.get("iss")).toBe(
      "https://auth.example.com",
    );
  });
});
