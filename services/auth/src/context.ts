import {
  createPool,
  createRedis,
  ensureDatabase,
  migrate,
  type Pool,
  waitForRedis,
} from "@authflow/service-kit";
import type { FastifyBaseLogger } from "fastify";
import type { Redis } from "ioredis";
import { AuditLog } from "./audit/audit-log.js";
import { ClientRepository } from "./clients/client-repository.js";
import { seedClients } from "./clients/seed-clients.js";
import type { Config } from "./config.js";
import { MIGRATION_LOCK_KEY, migrations } from "./db/migrations.js";
import { KeyStore } from "./keys/key-store.js";
import { CodeStore } from "./oauth/code-store.js";
import { CsrfTokens } from "./oauth/csrf.js";
import { BrowserSessionStore } from "./sessions/browser-session.js";
import { AccessTokenIssuer } from "./tokens/access-token-issuer.js";
import { IdTokenIssuer } from "./tokens/id-token-issuer.js";
import { LocalTokenVerifier } from "./tokens/local-verifier.js";
import { RefreshStore } from "./tokens/refresh-store.js";
import { RevocationStore } from "./tokens/revocation-store.js";
import { PasswordHasher } from "./users/passwords.js";
import { UserRepository } from "./users/user-repository.js";

/** Everything the routes need, built once at start. */
export interface AuthContext {
  config: Config;
  pool: Pool;
  redis: Redis;
  keys: KeyStore;
  users: UserRepository;
  clients: ClientRepository;
  passwords: PasswordHasher;
  accessTokens: AccessTokenIssuer;
  refreshTokens: RefreshStore;
  revocations: RevocationStore;
  idTokens: IdTokenIssuer;
  codes: CodeStore;
  sessions: BrowserSessionStore;
  csrf: CsrfTokens;
  /** Verifies this service's own access tokens (userinfo, introspection, revocation). */
  tokenVerifier: LocalTokenVerifier;
  audit: AuditLog;
}

export async function createAuthContext(
  config: Config,
  log: FastifyBaseLogger,
): Promise<AuthContext> {
  await ensureDatabase(config.DATABASE_URL);
  const pool = createPool(config.DATABASE_URL);
  const redis = createRedis(config.REDIS_URL, (err) =>
    log.warn({ err: err.message }, "redis connection error"),
  );
  try {
    await migrate(pool, migrations, MIGRATION_LOCK_KEY);
    const keys = new KeyStore(pool, config.SIGNING_KEY_SECRET, config.SIGNING_KEY_ACTIVATION_DELAY);
    await keys.init();
    const clients = new ClientRepository(pool);
    const passwords = new PasswordHasher({
      memoryKiB: config.ARGON2_MEMORY_KIB,
      timeCost: config.ARGON2_TIME_COST,
    });
    await seedClients(config.CLIENTS_FILE, clients, passwords, log);
    await passwords.warmUp();
    if (!(await waitForRedis(redis)))
      log.warn("redis not reachable yet; requests needing it get 503");
    const prefix = config.REDIS_KEY_PREFIX;
    const revocations = new RevocationStore(redis, pool, prefix);
    const restore = () =>
      revocations.restore().then(
        (count) => log.info({ count }, "revocations restored to redis"),
        (err: Error) => log.warn({ err: err.message }, "restoring revocations failed"),
      );
    // On every (re)connection: a Redis that restarted empty gets the revocation list back.
    redis.on("ready", () => void restore());
    if (redis.status === "ready") await restore();
    return {
      config,
      pool,
      redis,
      keys,
      users: new UserRepository(pool),
      clients,
      passwords,
      accessTokens: new AccessTokenIssuer(keys, config.ISSUER, config.ACCESS_TOKEN_TTL),
      refreshTokens: new RefreshStore(redis, prefix),
      revocations,
      idTokens: new IdTokenIssuer(keys, config.ISSUER, config.ACCESS_TOKEN_TTL),
      codes: new CodeStore(redis, prefix),
      sessions: new BrowserSessionStore(redis, prefix, config.SESSION_TTL),
      csrf: new CsrfTokens(config.SIGNING_KEY_SECRET),
      tokenVerifier: new LocalTokenVerifier(keys, revocations, config.ISSUER, config.AUDIENCE),
      audit: new AuditLog(pool, log),
    };
  } catch (err) {
    await pool.end().catch(() => {});
    redis.disconnect();
    throw err;
  }
}
