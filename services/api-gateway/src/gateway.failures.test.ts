import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest } from "./test-support/client.js";
import { startTestGateway, type TestGateway } from "./test-support/gateway.js";

const TIMEOUT_MS = 300;

let gw: TestGateway;
let auth: { authorization: string };
beforeAll(async () => {
  gw = await startTestGateway({ UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS) });
  auth = { authorization: `Bearer ${await gw.issuer.sign()}` };
});
afterAll(async () => gw.close());

/** A generic body: no stack, no address, no upstream name. */
function expectGeneric(text: string, upstreamPort: number) {
  expect(text).not.toContain(String(upstreamPort));
  expect(text).not.toMatch(/127\.0\.0\.1|localhost|ECONN|Error|at .*\.js|notes/i);
}

describe("G4 upstream down, hanging, back again", () => {
  it("G4 200 while the notes service is up", async () => {
    expect((await rawRequest(gw.url, "/api/notes", { headers: auth })).status).toBe(200);
  });

  it("G4 notes stopped → 502 upstream_unavailable, generic body", async () => {
    await gw.notes.stop();
    for (const method of ["GET", "POST"]) {
      const res = await rawRequest(gw.url, "/api/notes/1", { method, headers: auth, body: "{}" });
      expect(res.status).toBe(502);
      expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(res.headers["x-request-id"]).toBeTruthy();
      expect(res.json()).toEqual({
        type: "about:blank",
        title: "Bad Gateway",
        status: 502,
        code: "upstream_unavailable",
      });
      expectGeneric(res.text, gw.notes.port);
    }
  });

  it("G4 notes restarted → the next request is 200", async () => {
    await gw.notes.start();
    const res = await rawRequest(gw.url, "/api/notes", { headers: auth });
    expect(res.status).toBe(200);
  });

  it("G4 hanging upstream → 504 upstream_timeout after UPSTREAM_TIMEOUT_MS", async () => {
    gw.notes.mode = "hang";
    const started = Date.now();
    const res = await rawRequest(gw.url, "/api/notes", { headers: auth });
    const elapsed = Date.now() - started;
    expect(res.status).toBe(504);
    expect(res.json()).toMatchObject({ status: 504, code: "upstream_timeout" });
    expectGeneric(res.text, gw.notes.port);
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 2_000);
  });

  it("G4 upstream answering again → 200, the gateway never crashed", async () => {
    gw.notes.mode = "echo";
    const res = await rawRequest(gw.url, "/api/notes", { headers: auth });
    expect(res.status).toBe(200);
    expect((await rawRequest(gw.url, "/healthz")).status).toBe(200);
    const metrics = (await rawRequest(gw.url, "/metrics")).text;
    expect(metrics).toMatch(/gateway_requests_total\{[^}]*reason="upstream_unavailable"[^}]*\} 2/);
    expect(metrics).toMatch(/gateway_requests_total\{[^}]*reason="upstream_timeout"[^}]*\} 1/);
  });

  it("G4 /readyz is 503 while the JWKS endpoint does not answer", async () => {
    await gw.auth.stop();
    const res = await rawRequest(gw.url, "/readyz");
    expect(res.status).toBe(503);
    expect(res.json()).toMatchObject({ checks: { jwks: "unavailable" } });
    await gw.auth.start();
    expect((await rawRequest(gw.url, "/readyz")).status).toBe(200);
  });
});
