import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authErrorResponse } from "./challenge.js";
import { AuthClientError } from "./errors.js";
import { b64, hs256Token, nowSeconds, rawToken, rejection } from "./test-support/tokens.js";
import { createTestIssuer, type TestIssuer } from "./testing.js";
import { createVerifier, type Verifier } from "./verify.js";

// Hostile tokens against a verifier using a real JWKS endpoint. Every one must give a 401
// (never a 5xx) and none may cause a JWKS fetch beyond the warm-up.
let issuer: TestIssuer;
let verifier: Verifier;
let valid: string;
let warmFetches: number;

beforeAll(async () => {
  issuer = await createTestIssuer({ issuer: "http://localhost:8080", audience: "authflow-api" });
  verifier = createVerifier({
    issuer: issuer.issuer,
    audience: issuer.audience,
    jwksUrl: issuer.jwksUrl,
    cooldownDuration: 60_000,
  });
  valid = await issuer.sign();
  await verifier.verify(valid); // warm the cache
  warmFetches = issuer.fetchCount;
});
afterAll(() => issuer.close());

async function expectInvalidToken(token: string): Promise<AuthClientError> {
  const err = await rejection(verifier.verify(token));
  expect(err).toBeInstanceOf(AuthClientError);
  const authErr = err as AuthClientError;
  expect(authErr.status).toBe(401);
  expect(authErrorResponse(authErr).headers["www-authenticate"]).toContain('error="invalid_token"');
  return authErr;
}

describe("T1 algorithm confusion", () => {
  const claims = () => ({
    iss: issuer.issuer,
    sub: "admin",
    aud: issuer.audience,
    exp: nowSeconds() + 3600,
    iat: nowSeconds(),
    jti: "j",
    client_id: "authflow-app",
    scope: "admin",
  });
  const secrets: Array<[string, (pem: string) => string]> = [
    ["PEM text", (pem) => pem],
    ["PEM with a leading newline", (pem) => `\n${pem}`],
    ["PEM with leading spaces", (pem) => `  ${pem}`],
    ["PEM without trailing newline", (pem) => pem.trimEnd()],
    ["the JWK JSON", () => JSON.stringify(issuer.jwks().keys[0])],
  ];

  it.each(secrets)(
    "T1: HS256 signed with the public key as %s → 401 invalid_token",
    async (_n, secretOf) => {
      const secret = secretOf(await issuer.publicKeyPem());
      for (const header of [
        { alg: "HS256", typ: "JWT" },
        { alg: "HS256", typ: "at+jwt", kid: issuer.kid },
        { alg: "HS384", typ: "at+jwt", kid: issuer.kid },
      ]) {
        const token = hs256Token(header, claims(), secret);
        expect((await expectInvalidToken(token)).code).toBe("token_invalid");
      }
      expect(issuer.fetchCount).toBe(warmFetches);
    },
  );

  it("T1: a verifier cannot be configured with HS* or none (RFC 8725 §3.1)", () => {
    for (const algorithms of [["HS256"], ["ES256", "HS256"], ["none"]]) {
      expect(() =>
        createVerifier({
          issuer: issuer.issuer,
          audience: issuer.audience,
          jwksUrl: issuer.jwksUrl,
          algorithms: algorithms as never,
        }),
      ).toThrow(TypeError);
    }
  });
});

describe("T2 unsecured and malformed tokens", () => {
  const payload = () => ({
    iss: issuer.issuer,
    sub: "admin",
    aud: issuer.audience,
    exp: nowSeconds() + 3600,
  });

  const cases: Array<[string, () => string]> = [
    ...["none", "None", "NONE"].flatMap(
      (alg): Array<[string, () => string]> => [
        [`alg ${alg}, empty signature`, () => rawToken({ alg, typ: "at+jwt" }, payload())],
        [
          `alg ${alg}, junk signature`,
          () => rawToken({ alg, typ: "at+jwt" }, payload(), "c2lnbmF0dXJl"),
        ],
        [`alg ${alg}, typ JWT`, () => rawToken({ alg, typ: "JWT" }, payload(), "")],
      ],
    ),
    ["one extra character at the start of the header", () => `e${valid}`],
    ["one extra character at the start of the payload", () => valid.replace(".", ".e")],
    ["a header decoding to []", () => `${b64([])}.${valid.split(".").slice(1).join(".")}`],
    ["a header decoding to null", () => `${b64("null")}.${valid.split(".").slice(1).join(".")}`],
    ["a header that is not JSON", () => `${b64("{alg")}.${valid.split(".").slice(1).join(".")}`],
    ["2 segments", () => valid.split(".").slice(0, 2).join(".")],
    ["4 segments", () => `${valid}.${valid.split(".")[2]}`],
    ["5 segments (a JWE shape)", () => `${valid}.a.b`],
    ["64 KiB of 'a'", () => "a".repeat(64 * 1024)],
    ["64 KiB of dots and 'a'", () => "a.".repeat(32 * 1024)],
    ["a truncated signature", () => valid.slice(0, -10)],
    ["padding characters", () => `${valid}==`],
    ["whitespace inside", () => valid.replace(".", " .")],
    ["an empty payload segment", () => `${valid.split(".")[0]}..${valid.split(".")[2]}`],
  ];

  it.each(cases)("T2: %s → 401, never 5xx", async (_name, make) => {
    await expectInvalidToken(make());
    expect(issuer.fetchCount).toBe(warmFetches);
  });
});

describe("keys come only from the configured JWKS URL", () => {
  it("ignores jku, x5u and an embedded jwk in the token header", async () => {
    const attacker = await createTestIssuer({ issuer: issuer.issuer, audience: issuer.audience });
    try {
      const { privateKey, publicKey } = await generateKeyPair("ES256");
      const token = await new SignJWT({ sub: "admin" })
        .setProtectedHeader({
          alg: "ES256",
          typ: "at+jwt",
          kid: attacker.kid,
          jku: attacker.jwksUrl,
          x5u: attacker.jwksUrl,
          jwk: await exportJWK(publicKey),
        })
        .sign(privateKey);
      const signedByAttacker = await attacker.sign({}, { jku: attacker.jwksUrl });
      await expectInvalidToken(token);
      await expectInvalidToken(signedByAttacker);
      expect(attacker.fetchCount).toBe(0);
    } finally {
      await attacker.close();
    }
  });
});
