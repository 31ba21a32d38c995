import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { authErrorResponse } from "./challenge.js";
import { AuthClientError } from "./errors.js";
import { rejection, sleep } from "./test-support/tokens.js";
import { createTestIssuer, type TestIssuer } from "./testing.js";
import { createVerifier, type VerifierOptions } from "./verify.js";

// The remote JWKS cache against a real node:http JWKS server (port 0), counting fetches.
let issuer: TestIssuer;
beforeEach(async () => {
  issuer = await createTestIssuer({ issuer: "http://localhost:8080", audience: "authflow-api" });
});
afterEach(() => issuer.close());

const verifierFor = (options: Partial<VerifierOptions> = {}) =>
  createVerifier({
    issuer: issuer.issuer,
    audience: issuer.audience,
    jwksUrl: issuer.jwksUrl,
    ...options,
  });

describe("remote JWKS cache", () => {
  it("shares a single in-flight fetch between concurrent callers on a cold cache", async () => {
    const verifier = verifierFor();
    const token = await issuer.sign();
    await Promise.all(Array.from({ length: 50 }, () => verifier.verify(token)));
    expect(issuer.fetchCount).toBe(1);
  });

  it("refetches after cacheMaxAge", async () => {
    const verifier = verifierFor({ cacheMaxAge: 100, maxStaleness: 1000 });
    const token = await issuer.sign();
    await verifier.verify(token);
    await verifier.verify(token);
    expect(issuer.fetchCount).toBe(1);
    await sleep(150);
    await verifier.verify(token);
    expect(issuer.fetchCount).toBe(2);
  });

  it("uses the fetch option for every JWKS request", async () => {
    const urls: string[] = [];
    const verifier = verifierFor({
      fetch: (input, init) => {
        urls.push(String(input));
        return fetch(input, init);
      },
    });
    await verifier.verify(await issuer.sign());
    expect(urls).toEqual([issuer.jwksUrl]);
  });
});

describe("T5 rotation", () => {
  it("T5: accepts the first token with a new kid after at most one refetch", async () => {
    const verifier = verifierFor();
    await verifier.verify(await issuer.sign());
    expect(issuer.fetchCount).toBe(1);
    await issuer.rotate();
    await expect(verifier.verify(await issuer.sign())).resolves.toMatchObject({ sub: "user-1" });
    expect(issuer.fetchCount).toBe(2);
  });

  it("T5: 200 random unknown kids within 5 s → all 401, at most one fetch per cooldown; a valid token still passes", async () => {
    const verifier = verifierFor({ cooldownDuration: 30_000 });
    const valid = await issuer.sign();
    await verifier.verify(valid);
    const before = issuer.fetchCount;
    const started = Date.now();
    const forged = await Promise.all(
      Array.from({ length: 200 }, () => issuer.sign({}, { kid: randomUUID() })),
    );
    const results = await Promise.allSettled(forged.map((t) => verifier.verify(t)));
    expect(Date.now() - started).toBeLessThan(5000);
    for (const result of results) {
      expect(result.status).toBe("rejected");
      const err = (result as PromiseRejectedResult).reason as AuthClientError;
      expect(err).toMatchObject({ code: "key_not_found", status: 401 });
    }
    expect(issuer.fetchCount - before).toBeLessThanOrEqual(1);
    // Sequential stragglers within the cooldown cause no fetch either.
    for (const token of forged.slice(0, 20)) await rejection(verifier.verify(token));
    expect(issuer.fetchCount - before).toBeLessThanOrEqual(1);
    await expect(verifier.verify(valid)).resolves.toBeDefined();
  });

  it("T5: unknown kids may refetch again once the cooldown has passed", async () => {
    const verifier = verifierFor({ cooldownDuration: 200 });
    await verifier.verify(await issuer.sign());
    await rejection(verifier.verify(await issuer.sign({}, { kid: "unknown-1" })));
    await rejection(verifier.verify(await issuer.sign({}, { kid: "unknown-2" })));
    expect(issuer.fetchCount).toBe(2);
    await sleep(250);
    await issuer.rotate();
    await expect(verifier.verify(await issuer.sign())).resolves.toBeDefined();
    expect(issuer.fetchCount).toBe(3);
  });
});

describe("T6 issuer outage", () => {
  const outage = {
    cacheMaxAge: 100,
    maxStaleness: 800,
    cooldownDuration: 300,
    timeoutDuration: 200,
  };

  it.each(["503", "hang"] as const)(
    "T6: JWKS %s past max age → known key keeps verifying, unknown kid → 503, never 500",
    async (mode) => {
      const verifier = verifierFor(outage);
      const token = await issuer.sign();
      await verifier.verify(token); // warm
      issuer.setFailure(mode);
      await sleep(150); // past cacheMaxAge

      const started = Date.now();
      await expect(verifier.verify(token)).resolves.toMatchObject({ sub: "user-1" });
      expect(Date.now() - started).toBeLessThan(1500); // bounded by timeoutDuration
      expect(issuer.fetchCount).toBe(2); // it did try to refresh

      const unknown = await rejection(verifier.verify(await issuer.sign({}, { kid: "new-key" })));
      expect(unknown).toMatchObject({ code: "jwks_unavailable", status: 503 });
      const response = authErrorResponse(unknown);
      expect(response.status).toBe(503);
      expect(Number(response.headers["retry-after"])).toBeGreaterThan(0);

      // Within the cooldown, failures are not retried: requests stay fast.
      const again = Date.now();
      await verifier.verify(token);
      expect(Date.now() - again).toBeLessThan(250);
      expect(issuer.fetchCount).toBe(2);
    },
  );

  it("T6: staleness is bounded: past maxStaleness even known keys get 503", async () => {
    const verifier = verifierFor(outage);
    const token = await issuer.sign();
    await verifier.verify(token);
    issuer.setFailure("503");
    await sleep(900); // past maxStaleness
    const err = await rejection(verifier.verify(token));
    expect(err).toMatchObject({ code: "jwks_unavailable", status: 503 });
  });

  it("T6: recovers after the outage once the cooldown has passed", async () => {
    const verifier = verifierFor(outage);
    const token = await issuer.sign();
    await verifier.verify(token);
    issuer.setFailure("503");
    await sleep(150);
    await verifier.verify(token); // stale
    issuer.setFailure("none");
    await issuer.rotate();
    await sleep(350); // past the cooldown
    await expect(verifier.verify(await issuer.sign())).resolves.toBeDefined();
  });

  it("T6: a cold cache with the JWKS down → 503 jwks_unavailable", async () => {
    issuer.setFailure("503");
    const err = await rejection(verifierFor(outage).verify(await issuer.sign()));
    expect(err).toBeInstanceOf(AuthClientError);
    expect(err).toMatchObject({ code: "jwks_unavailable", status: 503 });
  });

  it("T6: unknown kid while the JWKS is reachable → 401, not 503", async () => {
    const verifier = verifierFor(outage);
    await verifier.verify(await issuer.sign());
    const err = await rejection(verifier.verify(await issuer.sign({}, { kid: "nope" })));
    expect(err).toMatchObject({ code: "key_not_found", status: 401 });
  });

  it("T6: a JWKS answering garbage counts as unreachable, not as 500", async () => {
    const verifier = verifierFor({
      ...outage,
      fetch: async () => new Response("<html>oops</html>", { status: 200 }),
    });
    const err = await rejection(verifier.verify(await issuer.sign()));
    expect(err).toMatchObject({ code: "jwks_unavailable", status: 503 });
  });
});
