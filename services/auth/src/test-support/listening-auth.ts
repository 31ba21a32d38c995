import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ClientSeed } from "../clients/client-seed.js";
import { startTestAuth, type TestAuth } from "./test-auth.js";

export interface ListeningAuth extends TestAuth {
  /** The issuer and base URL: the service itself, as OAuth clients see it. */
  issuer: string;
}

const REPO_CLIENTS = fileURLToPath(new URL("../../clients.json", import.meta.url));

/**
 * The auth service listening on a real port, with ISSUER set to its own URL so that OAuth
 * libraries' discovery (which insists issuer == discovery URL) works unchanged. `extraClients`
 * are seeded next to the repo's clients.json.
 */
export async function startListeningAuth(
  label: string,
  extraClients: Array<Partial<ClientSeed> & { clientId: string }> = [],
  overrides: Record<string, string> = {},
): Promise<ListeningAuth> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const repo = JSON.parse(readFileSync(REPO_CLIENTS, "utf8")) as { clients: unknown[] };
  const dir = mkdtempSync(join(tmpdir(), "authflow-clients-"));
  const file = join(dir, "clients.json");
  writeFileSync(file, JSON.stringify({ clients: [...repo.clients, ...extraClients] }));
  const t = await startTestAuth(label, { ISSUER: issuer, CLIENTS_FILE: file, ...overrides });
  await t.app.listen({ host: "127.0.0.1", port });
  return { ...t, issuer };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}
