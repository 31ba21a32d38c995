import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "./test-support/gateway.js";
import type { Echo } from "./test-support/upstream.js";

// A throwaway self-signed certificate for 127.0.0.1, made with the openssl CLI.
const dir = mkdtempSync(join(tmpdir(), "gateway-tls-"));
const cert = join(dir, "cert.pem");
const key = join(dir, "key.pem");

let gw: TestGateway;
beforeAll(async () => {
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      key,
      "-out",
      cert,
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
    ],
    { stdio: "ignore" },
  );
  gw = await startTestGateway({ TLS_CERT_FILE: cert, TLS_KEY_FILE: key });
});
afterAll(async () => {
  await gw?.close();
  rmSync(dir, { recursive: true, force: true });
});

function get(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${gw.url}${path}`, { ca: readFileSync(cert), agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

describe("TLS termination (TLS_CERT_FILE + TLS_KEY_FILE)", () => {
  it("serves HTTPS and tells the upstream the original scheme", async () => {
    expect(gw.url).toMatch(/^https:/);
    const res = await get("/auth/x?y=1");
    expect(res.status).toBe(200);
    const echo = JSON.parse(res.body) as Echo;
    expect(echo.url).toBe("/auth/x?y=1");
    expect(echo.headers["x-forwarded-proto"]).toBe("https");
  });
});
