import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { AuthClientError } from "./errors.js";
import { nowSeconds, rejection } from "./test-support/tokens.js";
import { createVerifier, type VerifierOptions } from "./verify.js";

const ISSUER = "http://localhost:8080";
const AUDIENCE = "authflow-api";

// Unit tests with locally generated keys and a local key set (the auth service's own mode).
let privateKey: CryptoKey;
let publicJwk: JWK;
let rsaPrivateKey: CryptoKey;

const baseClaims = () => {
  const now = nowSeconds();
  return {
    iss: ISSUER,
    sub: "user-1",
    aud: AUDIENCE,
    exp: now + 900,
    iat: now,
    jti: "jti-1",
    client_id: "authflow-app",
    scope: "notes:read  notes:write",
    roles: ["user"],
    sid: "sid-1",
  };
};

function sign(
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
  key: CryptoKey = privateKey,
) {
  const payload = Object.fromEntries(
    Object.entries({ ...baseClaims(), ...claims }).filter(([, v]) => v !== undefined),
  );
  return new SignJWT(payload)
    .setProtectedHeader({ alg: "ES256", kid: "k1", typ: "at+jwt", ...header })
    .sign(key);
}

const verifier = () =>
  createVerifier({ issuer: ISSUER, audience: AUDIENCE, keySet: { keys: [publicJwk] } });

beforeAll(async () => {
  const pair = await generateKeyPair("ES256", { extractable: true });
  privateKey = pair.privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "ES256", use: "sig" };
  rsaPrivateKey = (await generateKeyPair("RS256")).privateKey;
});

describe("createVerifier().verify", () => {
  it("accepts a valid at+jwt and normalizes its claims", async () => {
    const claims = await verifier().verify(await sign());
    expect(claims).toMatchObject({
      iss: ISSUER,
      sub: "user-1",
      aud: AUDIENCE,
      jti: "jti-1",
      client_id: "authflow-app",
      scope: "notes:read  notes:write",
      scopes: ["notes:read", "notes:write"],
      roles: ["user"],
      sid: "sid-1",
    });
  });

  it.each([["at+jwt"], ["application/at+jwt"], ["AT+JWT"]])(
    "accepts typ %s (RFC 9068 §4)",
    async (typ) => {
      await expect(verifier().verify(await sign({}, { typ }))).resolves.toBeDefined();
    },
  );

  it("defaults scope to '' / scopes and roles to []", async () => {
    const claims = await verifier().verify(await sign({ scope: undefined, roles: undefined }));
    expect(claims).toMatchObject({ scope: "", scopes: [], roles: [] });
  });

  it.each([
    ["an ID-token-shaped JWT (typ JWT)", { typ: "JWT" }, "token_type_invalid"],
    ["no typ", { typ: undefined }, "token_type_invalid"],
    ["typ id_token+jwt", { typ: "id_token+jwt" }, "token_type_invalid"],
    ["a kid that is not a string", { kid: 7 }, "token_malformed"],
  ])("refuses %s signed with the right key", async (_name, header, code) => {
    // JSON serialization drops a header member set to undefined: "no typ" has none.
    const err = await rejection(verifier().verify(await sign({}, header)));
    expect(err).toBeInstanceOf(AuthClientError);
    expect(err).toMatchObject({ code, status: 401 });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["missing exp", { exp: undefined }, "token_claims_invalid"],
    ["missing iat", { iat: undefined }, "token_claims_invalid"],
    ["missing sub", { sub: undefined }, "token_claims_invalid"],
    ["missing jti", { jti: undefined }, "token_claims_invalid"],
    ["missing client_id", { client_id: undefined }, "token_claims_invalid"],
    ["missing aud", { aud: undefined }, "token_claims_invalid"],
    ["wrong aud", { aud: "other" }, "token_claims_invalid"],
    ["empty sub", { sub: "" }, "token_claims_invalid"],
    ["numeric sub", { sub: 42 }, "token_claims_invalid"],
    ["scope as array", { scope: ["notes:read"] }, "token_claims_invalid"],
    ["roles as string", { roles: "admin" }, "token_claims_invalid"],
    ["roles with a number", { roles: ["admin", 1] }, "token_claims_invalid"],
    ["exp as string", { exp: "9999999999" }, "token_claims_invalid"],
    ["expired", { exp: nowSeconds() - 3600 }, "token_expired"],
    ["not yet valid", { nbf: nowSeconds() + 3600 }, "token_not_yet_valid"],
  ])("rejects a token with %s", async (_name, claims, code) => {
    const err = await rejection(verifier().verify(await sign(claims)));
    expect(err).toMatchObject({ code, status: 401 });
  });

  it("rejects a token signed by another key with the same kid", async () => {
    const other = (await generateKeyPair("ES256")).privateKey;
    const err = await rejection(verifier().verify(await sign({}, {}, other)));
    expect(err).toMatchObject({ code: "token_invalid", status: 401 });
  });

  it("rejects an algorithm that is not pinned, even with a matching key type", async () => {
    const token = await sign({}, { alg: "RS256" }, rsaPrivateKey);
    const err = await rejection(verifier().verify(token));
    expect(err).toMatchObject({ code: "token_invalid", status: 401 });
  });

  it("rejects an unknown kid with key_not_found", async () => {
    const err = await rejection(verifier().verify(await sign({}, { kid: "nope" })));
    expect(err).toMatchObject({ code: "key_not_found", status: 401 });
  });

  it("never leaks jose wording in the message (the cause keeps it)", async () => {
    const err = (await rejection(verifier().verify(await sign({ aud: "other" })))) as Error;
    expect(err.message).toBe("The access token has invalid claims");
    expect(String((err.cause as Error).message)).toContain("aud");
  });

  it.each([undefined, ""])("treats %j as token_missing", async (token) => {
    const err = await rejection(verifier().verify(token as unknown as string));
    expect(err).toMatchObject({ code: "token_missing", status: 401 });
  });
});

describe("createVerifier isRevoked hook", () => {
  const withHook = (isRevoked: VerifierOptions["isRevoked"]) =>
    createVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      keySet: { keys: [publicJwk] },
      isRevoked,
    });

  it("passes verified claims and accepts a non-revoked token", async () => {
    const seen: string[] = [];
    const v = withHook(async (claims) => {
      seen.push(claims.jti);
      return false;
    });
    await v.verify(await sign());
    expect(seen).toEqual(["jti-1"]);
  });

  it("rejects a revoked token with 401 token_revoked", async () => {
    const err = await rejection(withHook(async () => true).verify(await sign()));
    expect(err).toMatchObject({ code: "token_revoked", status: 401 });
  });

  it("fails closed with 503 revocation_unavailable when the hook throws", async () => {
    const v = withHook(async () => {
      throw new Error("redis down");
    });
    const err = await rejection(v.verify(await sign()));
    expect(err).toMatchObject({ code: "revocation_unavailable", status: 503, retryAfter: 5 });
    expect((err as Error).message).not.toContain("redis");
  });

  it("does not call the hook for an invalid token", async () => {
    let calls = 0;
    const v = withHook(async () => {
      calls += 1;
      return false;
    });
    await rejection(v.verify(await sign({ exp: nowSeconds() - 3600 })));
    expect(calls).toBe(0);
  });
});

describe("createVerifier options", () => {
  const base = () => ({ issuer: ISSUER, audience: AUDIENCE, keySet: { keys: [publicJwk] } });

  it.each<[string, unknown]>([
    ["no options", undefined],
    ["issuer missing", { ...base(), issuer: undefined }],
    ["issuer as an array", { ...base(), issuer: [ISSUER] }],
    ["audience empty", { ...base(), audience: "" }],
    ["neither jwksUrl nor keySet", { issuer: ISSUER, audience: AUDIENCE }],
    ["both jwksUrl and keySet", { ...base(), jwksUrl: "http://127.0.0.1:1/jwks" }],
    ["HS256 in algorithms", { ...base(), algorithms: ["HS256"] }],
    ["none in algorithms", { ...base(), algorithms: ["none"] }],
    ["ES256 plus HS512", { ...base(), algorithms: ["ES256", "HS512"] }],
    ["empty algorithms", { ...base(), algorithms: [] }],
    ["negative clockTolerance", { ...base(), clockTolerance: -1 }],
    ["clockTolerance as string", { ...base(), clockTolerance: "30s" }],
    ["isRevoked not a function", { ...base(), isRevoked: true }],
    ["a secret key in keySet", { ...base(), keySet: { keys: [{ kty: "oct", k: "c2VjcmV0" }] } }],
    ["a private key in keySet", { ...base(), keySet: { keys: [{ ...publicJwk, d: "x" }] } }],
    ["keySet without keys", { ...base(), keySet: {} }],
    ["jwksUrl not a URL", { issuer: ISSUER, audience: AUDIENCE, jwksUrl: "jwks.json" }],
    ["jwksUrl not http(s)", { issuer: ISSUER, audience: AUDIENCE, jwksUrl: "file:///etc/jwks" }],
    [
      "maxStaleness below cacheMaxAge",
      {
        issuer: ISSUER,
        audience: AUDIENCE,
        jwksUrl: "http://x/",
        cacheMaxAge: 10,
        maxStaleness: 1,
      },
    ],
  ])("throws a TypeError for %s", (_name, options) => {
    expect(() => createVerifier(options as VerifierOptions)).toThrow(TypeError);
  });
});
