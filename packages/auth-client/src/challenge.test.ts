import { describe, expect, it } from "vitest";
import { authErrorResponse } from "./challenge.js";
import { AuthClientError, type AuthErrorCode, isAuthClientError } from "./errors.js";

describe("authErrorResponse (RFC 6750 §3, RFC 9457)", () => {
  it.each<[string, AuthClientError, number, string]>([
    ["no token", new AuthClientError("token_missing"), 401, 'Bearer realm="authflow"'],
    [
      "a bad token",
      new AuthClientError("token_invalid"),
      401,
      'Bearer realm="authflow", error="invalid_token", error_description="The access token is invalid"',
    ],
    [
      "an expired token",
      new AuthClientError("token_expired"),
      401,
      'Bearer realm="authflow", error="invalid_token", error_description="The access token has expired"',
    ],
    [
      "a missing scope",
      new AuthClientError("insufficient_scope", { requiredScopes: ["notes:read", "notes:write"] }),
      403,
      'Bearer realm="authflow", error="insufficient_scope", error_description="The access token does not grant the required scope", scope="notes:read notes:write"',
    ],
    [
      "a missing role",
      new AuthClientError("insufficient_role"),
      403,
      'Bearer realm="authflow", error="insufficient_scope", error_description="The access token does not carry the required role"',
    ],
    [
      "JWKS down",
      new AuthClientError("jwks_unavailable", { retryAfter: 12 }),
      503,
      'Bearer realm="authflow"',
    ],
  ])("answers %s", (_name, err, status, challenge) => {
    const response = authErrorResponse(err);
    expect(response.status).toBe(status);
    expect(response.headers["www-authenticate"]).toBe(challenge);
    expect(response.headers["content-type"]).toBe("application/problem+json");
    expect(response.body).toEqual({
      type: "about:blank",
      title: { 401: "Unauthorized", 403: "Forbidden", 503: "Service Unavailable" }[status],
      status,
      code: err.code,
      detail: err.message,
    });
  });

  it("sets Retry-After on 503 only", () => {
    expect(
      authErrorResponse(new AuthClientError("jwks_unavailable", { retryAfter: 12 })).headers[
        "retry-after"
      ],
    ).toBe("12");
    expect(
      authErrorResponse(new AuthClientError("revocation_unavailable")).headers["retry-after"],
    ).toBe("5");
    expect(authErrorResponse(new AuthClientError("token_invalid")).headers).not.toHaveProperty(
      "retry-after",
    );
  });

  it("uses the realm option and strips characters a quoted-string may not hold", () => {
    const response = authErrorResponse(
      new AuthClientError("token_invalid", { message: 'bad "x" \\ y' }),
      {
        realm: 'notes"',
      },
    );
    expect(response.headers["www-authenticate"]).toBe(
      'Bearer realm="notes", error="invalid_token", error_description="bad x  y"',
    );
  });

  it("answers 401 invalid_token for anything that is not an AuthClientError, without its message", () => {
    const response = authErrorResponse(new Error("ECONNREFUSED 10.0.0.3:6379"));
    expect(response.status).toBe(401);
    expect(JSON.stringify(response)).not.toContain("10.0.0.3");
    expect(response.body.code).toBe("token_invalid");
  });
});

describe("AuthClientError", () => {
  it.each<[AuthErrorCode, number]>([
    ["token_missing", 401],
    ["token_malformed", 401],
    ["token_invalid", 401],
    ["token_expired", 401],
    ["token_not_yet_valid", 401],
    ["token_claims_invalid", 401],
    ["token_type_invalid", 401],
    ["key_not_found", 401],
    ["token_revoked", 401],
    ["insufficient_scope", 403],
    ["insufficient_role", 403],
    ["jwks_unavailable", 503],
    ["revocation_unavailable", 503],
  ])("%s → %i", (code, status) => {
    const err = new AuthClientError(code);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ code, status, name: "AuthClientError" });
    expect(isAuthClientError(err)).toBe(true);
  });

  it("isAuthClientError refuses look-alikes with unknown codes", () => {
    const fake = Object.assign(new Error("x"), { name: "AuthClientError", code: "nope" });
    expect(isAuthClientError(fake)).toBe(false);
    expect(isAuthClientError({ code: "token_invalid" })).toBe(false);
  });
});
