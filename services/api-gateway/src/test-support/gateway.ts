import type { AddressInfo } from "node:net";
import { createVerifier } from "@authflow/auth-client";
import { createTestIssuer, type TestIssuer } from "@authflow/auth-client/testing";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../app.js";
import { type Config, configSchema } from "../config.js";
import { createFakeUpstream, type FakeUpstream } from "./upstream.js";

export const ISSUER = "http://localhost:8080";
export const AUDIENCE = "authflow-api";

export interface TestGateway {
  url: string;
  app: FastifyInstance;
  issuer: TestIssuer;
  /** Upstream behind the public routes (/auth, /oauth, /.well-known). */
  auth: FakeUpstream;
  /** Upstream behind /api/notes. */
  notes: FakeUpstream;
  /** Every log line the gateway wrote. */
  logs: string[];
  close(): Promise<void>;
}

/**
 * A real listening gateway (port 0) with the repo's default routes file, in front of two
 * fake upstreams, trusting a test issuer's JWKS.
 */
export async function startTestGateway(env: Record<string, string> = {}): Promise<TestGateway> {
  const issuer = await createTestIssuer({ issuer: ISSUER, audience: AUDIENCE });
  const auth = await createFakeUpstream();
  const notes = await createFakeUpstream();
  const config: Config = configSchema.parse({
    LOG_LEVEL: "info",
    AUTH_SERVER_URL: auth.url,
    NOTES_SERVICE_URL: notes.url,
    ...env,
  });
  const verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUrl: issuer.jwksUrl });
  const logs: string[] = [];
  const app = buildApp(config, { verifier, env: {}, logStream: { write: (l) => logs.push(l) } });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `${config.TLS_CERT_FILE ? "https" : "http"}://127.0.0.1:${port}`,
    app,
    issuer,
    auth,
    notes,
    logs,
    async close() {
      await app.close();
      await Promise.all([auth.stop(), notes.stop(), issuer.close()]);
    },
  };
}
