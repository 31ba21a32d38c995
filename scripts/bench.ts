// `pnpm bench`: performance claims, measured as medians and ratios against a baseline run in
// the same process and minute (machines are noisy; absolute numbers are not compared).
//  1. Token verification: auth-client's verifier (warm JWKS cache, every check) vs. a bare
//     jose jwtVerify with the same key: the price of the extra checks.
//  2. Login timing (case L1): unknown email vs. wrong password on a real auth service:
//     medians should be within ~10 ms, because both paths do the same argon2 work.

import { buildApp } from "@authflow/auth/app";
import { configSchema } from "@authflow/auth/config";
import { createVerifier } from "@authflow/auth-client";
import { createTestIssuer } from "@authflow/auth-client/testing";
import { createTestDatabase, testRedisPrefix, testRedisUrl } from "@authflow/service-kit/testing";
import { createRemoteJWKSet, jwtVerify } from "jose";

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

async function timeEach(n: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    out.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return out;
}

async function benchVerify(): Promise<void> {
  const issuer = await createTestIssuer({
    issuer: "http://localhost:8080",
    audience: "authflow-api",
  });
  const token = await issuer.sign();
  const verifier = createVerifier({
    issuer: issuer.issuer,
    audience: issuer.audience,
    jwksUrl: issuer.jwksUrl,
  });
  const jwks = createRemoteJWKSet(new URL(issuer.jwksUrl));
  const baseline = () =>
    jwtVerify(token, jwks, {
      issuer: issuer.issuer,
      audience: issuer.audience,
      algorithms: ["ES256"],
    });
  await verifier.verify(token);
  await baseline();
  const rounds = 5;
  const ours: number[] = [];
  const base: number[] = [];
  for (let r = 0; r < rounds; r++) {
    // Interleaved rounds, so drift in machine load hits both sides alike.
    ours.push(median(await timeEach(2_000, () => verifier.verify(token))));
    base.push(median(await timeEach(2_000, baseline)));
  }
  const m = median(ours);
  const b = median(base);
  console.log("token verification (median of 5 rounds x 2000 verifications)");
  console.log(
    `  auth-client verify: ${(m * 1000).toFixed(1)} µs   jose jwtVerify: ${(b * 1000).toFixed(1)} µs   ratio ${(m / b).toFixed(2)}`,
  );
  await issuer.close();
}

async function benchLoginTiming(): Promise<void> {
  // The seeded confidential clients read their secrets from the environment.
  process.env.NOTES_SERVICE_CLIENT_SECRET ??= "bench-only";
  process.env.REPORTS_JOB_CLIENT_SECRET ??= "bench-only";
  const db = await createTestDatabase("bench");
  const app = await buildApp(
    configSchema.parse({
      DATABASE_URL: db.url,
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: testRedisPrefix("bench"),
      SIGNING_KEY_SECRET: "bench-only-signing-secret-0123456789abcdef",
      LOG_LEVEL: "silent",
      LOGIN_RATE_LIMIT: "100000",
    }),
  ).catch(async (err) => {
    await db.drop();
    throw err;
  });
  try {
    const email = "bench@example.com";
    const password = "a benchmark passphrase";
    await app.inject({ method: "POST", url: "/auth/register", payload: { email, password } });
    const login = (e: string, p: string) =>
      app.inject({ method: "POST", url: "/auth/login", payload: { email: e, password: p } });
    const wrong: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 30; i++) {
      wrong.push(...(await timeEach(1, () => login(email, "wrong passphrase here"))));
      unknown.push(...(await timeEach(1, () => login(`nobody${i}@example.com`, password))));
    }
    const w = median(wrong);
    const u = median(unknown);
    console.log("login timing, case L1 (30 alternating attempts each, in-process)");
    console.log(
      `  wrong password: ${w.toFixed(1)} ms   unknown email: ${u.toFixed(1)} ms   ` +
        `apart ${Math.abs(u - w).toFixed(1)} ms   ratio ${(u / w).toFixed(2)}   ` +
        `within 10 ms: ${Math.abs(u - w) <= 10 ? "yes" : "no"}`,
    );
  } finally {
    await app.close();
    await db.drop();
  }
}

await benchVerify();
await benchLoginTiming();
