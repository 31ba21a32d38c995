import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../free-port.js";
import { ROOT } from "./repo.js";

// scripts/dev-cert's CA and localhost certificate, served by the real gateway process.
const dir = mkdtempSync(join(tmpdir(), "dev-cert-"));
let gateway: ChildProcess | undefined;
let port = 0;

function get(scheme: "http" | "https", path: string): Promise<number> {
  const request = scheme === "https" ? httpsRequest : httpRequest;
  const ca = readFileSync(join(dir, "ca.crt"));
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "localhost", port, path, ca, agent: false, timeout: 3_000 },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  execFileSync("bash", [join(ROOT, "scripts/dev-cert"), dir], { stdio: "ignore" });
  port = await freePort();
  gateway = spawn(process.execPath, ["--conditions=source", "--import", "tsx", "src/server.ts"], {
    cwd: join(ROOT, "services/api-gateway"),
    env: {
      ...process.env,
      HOST: "127.0.0.1",
      PORT: String(port),
      LOG_LEVEL: "silent",
      ISSUER: `https://localhost:${port}`,
      TLS_CERT_FILE: join(dir, "localhost.crt"),
      TLS_KEY_FILE: join(dir, "localhost.key"),
    },
    stdio: "ignore",
  });
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (await get("https", "/healthz").catch(() => 0)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("the gateway did not answer over HTTPS");
});

afterAll(async () => {
  if (gateway && gateway.exitCode === null) {
    const exited = new Promise((r) => gateway?.once("exit", r));
    gateway.kill("SIGTERM");
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe("gateway in TLS mode with scripts/dev-cert's certificate", () => {
  it("serves HTTPS with a certificate for localhost that the local CA verifies", async () => {
    expect(await get("https", "/healthz")).toBe(200);
  });

  it("refuses plain HTTP: there is no HTTP listener, the TLS port answers no HTTP", async () => {
    await expect(get("http", "/healthz")).rejects.toThrow();
  });
});
