import { readFileSync } from "node:fs";
import type { FastifyBaseLogger } from "fastify";
import type { PasswordHasher } from "../users/passwords.js";
import type { ClientRepository } from "./client-repository.js";
import { readClientsFile } from "./client-seed.js";

/**
 * Upserts the clients of CLIENTS_FILE at start. A confidential client's secret never sits in
 * the file: it names a variable (`secretEnv`, or `<secretEnv>_FILE` for Docker secrets) and
 * only the secret's argon2id hash is stored.
 */
export async function seedClients(
  path: string,
  repo: ClientRepository,
  hasher: PasswordHasher,
  log: FastifyBaseLogger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const seeds = await readClientsFile(path);
  for (const seed of seeds) {
    let secretHash: string | null = null;
    if (seed.secretEnv) {
      const secret = readSecret(seed.secretEnv, env);
      if (!secret) {
        throw new Error(
          `client ${seed.clientId}: set ${seed.secretEnv} or ${seed.secretEnv}_FILE to its secret`,
        );
      }
      secretHash = await hasher.hash(secret);
    }
    await repo.upsert(seed, secretHash);
  }
  log.info({ clients: seeds.map((s) => s.clientId) }, "clients seeded");
}

function readSecret(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const file = env[`${name}_FILE`];
  if (file) return readFileSync(file, "utf8").replace(/\r?\n$/, "");
  return env[name] || undefined;
}
