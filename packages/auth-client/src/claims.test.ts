import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalizeClaims } from "./claims.js";
import { nowSeconds, rejection } from "./test-support/tokens.js";
import { createTestIssuer, type TestIssuer } from "./testing.js";
import { createVerifier, type Verifier } from "./verify.js";

const ISSUER = "http://localhost:8080";
const AUDIENCE = "authflow-api";
let issuer: TestIssuer;
let verifier: Verifier;

beforeAll(async () => {
  issuer = await createTestIssuer({ issuer: ISSUER, audience: AUDIENCE });
  verifier = createVerifier({
    issuer: ISSUER,
    audience: AUDIENCE,
    jwksUrl: issuer.jwksUrl,
    clockTolerance: 30,
  });
});
afterAll(() => issuer.close());

describe("T3 claim shapes", () => {
  it.each<[string, Record<string, unknown>]>([
    ["aud as an array containing our audience (RFC 7519 §4.1.3)", { aud: ["other", AUDIENCE] }],
    ["aud as a one-element array", { aud: [AUDIENCE] }],
  ])("T3: accepts %s", async (_name, claims) => {
    await expect(verifier.verify(await issuer.sign(claims))).resolves.toMatchObject({
      sub: "user-1",
    });
  });

  it.each<[string, Record<string, unknown>]>([
    ["iss with a trailing slash", { iss: `${ISSUER}/` }],
    ["iss as an array", { iss: [ISSUER] }],
    ["iss in another case", { iss: ISSUER.toUpperCase() }],
    ["iss with a path", { iss: `${ISSUER}/realms/x` }],
    ["iss missing", { iss: undefined }],
    ["aud as an array without our audience", { aud: ["other", "another"] }],
    ["aud as a prefix of our audience", { aud: "authflow" }],
    ["aud as an array holding a nested array", { aud: [[AUDIENCE]] }],
    ["aud empty", { aud: [] }],
  ])("T3: rejects %s with 401", async (_name, claims) => {
    const err = await rejection(verifier.verify(await issuer.sign(claims)));
    expect(err).toMatchObject({ code: "token_claims_invalid", status: 401 });
  });
});

describe("T4 clock skew (leeway 30 s)", () => {
  const S = 30;
  it.each<[string, () => Record<string, unknown>]>([
    ["nbf = now + S/2", () => ({ nbf: nowSeconds() + S / 2 })],
    ["exp = now - S/2", () => ({ exp: nowSeconds() - S / 2 })],
    ["iat in the near future", () => ({ iat: nowSeconds() + S / 2 })],
  ])("T4: accepts %s", async (_name, claims) => {
    await expect(verifier.verify(await issuer.sign(claims()))).resolves.toBeDefined();
  });

  it.each<[string, () => Record<string, unknown>, string]>([
    ["nbf = now + 10 min", () => ({ nbf: nowSeconds() + 600 }), "token_not_yet_valid"],
    ["exp = now - 10 min", () => ({ exp: nowSeconds() - 600 }), "token_expired"],
    ["exp = now - 2S", () => ({ exp: nowSeconds() - 2 * S }), "token_expired"],
    ["iat = now + 28 h", () => ({ iat: nowSeconds() + 100_000 }), "token_claims_invalid"],
  ])("T4: rejects %s with 401", async (_name, claims, code) => {
    const err = await rejection(verifier.verify(await issuer.sign(claims())));
    expect(err).toMatchObject({ code, status: 401 });
  });

  it("T4: clockTolerance 0 rejects exp = now - S/2", async () => {
    const strict = createVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUrl: issuer.jwksUrl,
      clockTolerance: 0,
    });
    const err = await rejection(strict.verify(await issuer.sign({ exp: nowSeconds() - S / 2 })));
    expect(err).toMatchObject({ code: "token_expired" });
  });
});

describe("normalizeClaims", () => {
  const payload = {
    iss: ISSUER,
    sub: "u",
    aud: [AUDIENCE],
    exp: 2,
    iat: 1,
    jti: "j",
    client_id: "c",
    ext: { a: 1 },
  };

  it.each<[string, string | undefined, string[]]>([
    ["absent", undefined, []],
    ["empty", "", []],
    ["one scope", "notes:read", ["notes:read"]],
    ["several spaces", " notes:read   notes:write ", ["notes:read", "notes:write"]],
  ])("splits scope (%s) into scopes", (_name, scope, scopes) => {
    expect(normalizeClaims({ ...payload, scope }).scopes).toEqual(scopes);
  });

  it("keeps other claims and copies arrays", () => {
    const roles = ["admin"];
    const claims = normalizeClaims({ ...payload, roles });
    expect(claims.ext).toEqual({ a: 1 });
    expect(claims.roles).toEqual(["admin"]);
    expect(claims.roles).not.toBe(roles);
  });

  it.each<[string, Record<string, unknown>]>([
    ["sid not a string", { sid: 5 }],
    ["nbf not a number", { nbf: "1" }],
    ["roles with an empty string", { roles: [""] }],
    ["client_id empty", { client_id: "" }],
  ])("throws token_claims_invalid for %s", (_name, extra) => {
    expect(() => normalizeClaims({ ...payload, ...extra })).toThrow(
      expect.objectContaining({ code: "token_claims_invalid" }),
    );
  });
});
