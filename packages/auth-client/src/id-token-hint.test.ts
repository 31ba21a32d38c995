import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyIdTokenHint } from "./id-token-hint.js";

const issuer = "http://localhost:8080";
let keySet: { keys: object[] };
let sign: (
  claims: Record<string, unknown>,
  header?: Record<string, unknown>,
  exp?: number,
) => Promise<string>;

beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair("RS256");
  keySet = { keys: [{ ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256" }] };
  sign = (claims, header = {}, exp = Math.floor(Date.now() / 1000) + 300) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid: "k1", typ: "JWT", ...header })
      .setIssuer(issuer)
      .setExpirationTime(exp)
      .sign(privateKey);
});

describe("verifyIdTokenHint", () => {
  it("returns sub, aud and sid of a valid ID token", async () => {
    const token = await sign({ sub: "u1", aud: "app", sid: "s1" });
    await expect(verifyIdTokenHint(token, { issuer, keySet: keySet as never })).resolves.toEqual({
      sub: "u1",
      aud: ["app"],
      sid: "s1",
    });
  });

  it("accepts an expired ID token (RP-Initiated Logout §2)", async () => {
    const token = await sign({ sub: "u1", aud: "app" }, {}, Math.floor(Date.now() / 1000) - 3600);
    await expect(
      verifyIdTokenHint(token, { issuer, keySet: keySet as never }),
    ).resolves.toMatchObject({ sub: "u1" });
  });

  it.each([
    ["an access token (typ at+jwt)", { typ: "at+jwt" }, issuer],
    ["another issuer", {}, "http://evil.example"],
  ])("refuses %s", async (_label, header, iss) => {
    const token = await sign({ sub: "u1", aud: "app" }, header);
    await expect(
      verifyIdTokenHint(token, { issuer: iss, keySet: keySet as never }),
    ).rejects.toMatchObject({
      status: 401,
    });
  });

  it("refuses a forged signature and garbage", async () => {
    const token = await sign({ sub: "u1", aud: "app" });
    const forged = `${token.slice(0, -4)}AAAA`;
    await expect(
      verifyIdTokenHint(forged, { issuer, keySet: keySet as never }),
    ).rejects.toMatchObject({ status: 401 });
    await expect(
      verifyIdTokenHint("a.b.c", { issuer, keySet: keySet as never }),
    ).rejects.toMatchObject({ status: 401 });
  });
});
