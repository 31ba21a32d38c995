import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";

export const CSRF_COOKIE = "authflow_csrf";

/**
 * Double-submit CSRF tokens for the login, consent and logout forms: the cookie holds a random
 * value, the form an HMAC of it, so an attacker who can plant a cookie (a sibling subdomain)
 * still cannot forge the matching form field without the server's key.
 */
export class CsrfTokens {
  readonly #key: Buffer;
  constructor(secret: string) {
    this.#key = Buffer.from(hkdfSync("sha256", secret, "authflow", "csrf:v1", 32));
  }

  newCookie(): string {
    return randomBytes(32).toString("base64url");
  }

  tokenFor(cookie: string): string {
    return createHmac("sha256", this.#key).update(cookie).digest("base64url");
  }

  verify(cookie: string | undefined, token: string | undefined): boolean {
    if (!cookie || !token) return false;
    const expected = Buffer.from(this.tokenFor(cookie));
    const given = Buffer.from(token);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
