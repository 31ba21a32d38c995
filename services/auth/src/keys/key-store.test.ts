import { createVerifier } from "@authflow/auth-client";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerAndLogin, startTestAuth, type TestAuth } from "../test-support/test-auth.js";

let t: TestAuth;
beforeAll(async () => {
  t = await startTestAuth("keys");
});
afterAll(() => t.close());

async function jwks(app: TestAuth["app"]) {
  const res = await app.inject({ url: "/.well-known/jwks.json" });
  return res.json() as { keys: Array<Record<string, string>> };
}

describe("signing keys", () => {
  it("publishes public parts only: an ES256 and an RS256 key with kid, alg and use", async () => {
    const { keys } = await jwks(t.app);
    expect(keys.map((k) => k.alg).sort()).toEqual(["ES256", "RS256"]);
    for (const key of keys) {
      expect(key).toMatchObject({ kid: expect.any(String), use: "sig" });
      for (const privatePart of ["d", "p", "q", "dp", "dq", "qi"])
        expect(key).not.toHaveProperty(privatePart);
    }
  });

  it("stores private keys encrypted: no JWK private member in the table", async () => {
    const client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
    const { rows } = await client.query("SELECT private_jwk_encrypted FROM signing_keys");
    await client.end();
    expect(rows.length).toBe(2);
    for (const r of rows) {
      expect(r.private_jwk_encrypted).toMatch(/^v1\./);
      expect(r.private_jwk_encrypted).not.toContain('"d"');
    }
  });

  it("a restart keeps the keys: tokens issued before still verify after", async () => {
    const { tokens } = await registerAndLogin(t.app);
    const restarted = await t.rebuild();
    expect(await jwks(restarted)).toEqual(await jwks(t.app));
    const verifier = createVerifier({
      issuer: t.config.ISSUER,
      audience: t.config.AUDIENCE,
      keySet: await jwks(restarted),
    });
    await expect(verifier.verify(tokens.access_token)).resolves.toMatchObject({
      client_id: "authflow-app",
    });
  });

  it("a wrong SIGNING_KEY_SECRET refuses to start instead of minting new keys", async () => {
    await expect(
      t.rebuild({ SIGNING_KEY_SECRET: "a-different-secret-of-32-characters-long" }),
    ).rejects.toThrow(/cannot be decrypted with SIGNING_KEY_SECRET/);
  });

  it("rotation publishes first: the new kid is in the JWKS at once, signs after the delay", async () => {
    const kidOf = (token: string) =>
      JSON.parse(Buffer.from(token.split(".")[0] ?? "", "base64url").toString()).kid;
    const before = (await jwks(t.app)).keys.find((k) => k.alg === "ES256")?.kid;
    const kid = await t.app.authContext.keys.rotate("ES256");
    const published = (await jwks(t.app)).keys.map((k) => k.kid);
    expect(published).toEqual(expect.arrayContaining([before, kid]));
    const early = await registerAndLogin(t.app);
    expect(kidOf(early.tokens.access_token)).toBe(before); // not yet: other replicas may lack it

    const later = await t.rebuild({ SIGNING_KEY_ACTIVATION_DELAY: "0" }); // as if the delay passed
    const { tokens } = await registerAndLogin(later);
    expect(kidOf(tokens.access_token)).toBe(kid);
    // Tokens of the previous key still verify: it stays published.
    const verifier = createVerifier({
      issuer: t.config.ISSUER,
      audience: t.config.AUDIENCE,
      keySet: await jwks(later),
    });
    await expect(verifier.verify(early.tokens.access_token)).resolves.toBeDefined();
  });
});
