import { randomUUID } from "node:crypto";
import { type Pool, withLockedTransaction } from "@authflow/service-kit";
import { type CryptoKey, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import { SecretBox } from "./secret-box.js";

export type SigningAlg = "ES256" | "RS256";

export interface SigningKey {
  kid: string;
  alg: SigningAlg;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** Retired keys stay published this long, so tokens they signed still verify until expiry. */
const RETIRED_PUBLISH_SECONDS = 7 * 24 * 3600;
const KEY_CREATION_LOCK = 0x6b657973; // "keys"

/**
 * Signing keys live in Postgres, private parts encrypted, so restarts and replicas share them
 * and issued tokens survive a restart. Keys are imported once and cached in memory: signing
 * never touches the database.
 *
 * Rotation publishes before it signs: a new key is in the JWKS at once but signs only once it
 * is `activationDelaySeconds` old, by which time every replica has reloaded (they reload every
 * minute) and serves it, so no verifier meets a `kid` that the JWKS it fetches lacks.
 */
export class KeyStore {
  readonly #box: SecretBox;
  #active = new Map<SigningAlg, SigningKey>();
  #published: JWK[] = [];
  #version = 0;

  constructor(
    private readonly pool: Pool,
    secret: string,
    private readonly activationDelaySeconds = 120,
  ) {
    this.#box = new SecretBox(secret);
  }

  /** Loads the keys, creating the first key of each algorithm if none exists. */
  async init(algs: SigningAlg[] = ["ES256", "RS256"]): Promise<void> {
    for (const alg of algs) await this.#ensureActive(alg);
    await this.reload();
  }

  active(alg: SigningAlg): SigningKey {
    const key = this.#active.get(alg);
    if (!key) throw new Error(`no active ${alg} signing key`);
    return key;
  }

  /** Public keys for /.well-known/jwks.json (RFC 7517): active and recently retired ones. */
  jwks(): { keys: JWK[] } {
    return { keys: this.#published };
  }

  /** Changes whenever the published key set does (verifiers built on it rebuild). */
  get version(): number {
    return this.#version;
  }

  /**
   * Adds a new key for `alg`: published now, signing after the activation delay. Keys older
   * than the one signing now are retired (still published for a week, for their tokens).
   */
  async rotate(alg: SigningAlg): Promise<string> {
    // The key signing now stays: know it first, even in a process that just started.
    await this.reload();
    const signing = this.#active.get(alg)?.kid ?? "";
    const kid = await withLockedTransaction(this.pool, KEY_CREATION_LOCK, async (client) => {
      await client.query(
        `UPDATE signing_keys SET status = 'retired', retired_at = now()
          WHERE alg = $1 AND status = 'active' AND kid <> $2`,
        [alg, signing],
      );
      return this.#insertNewKey(client, alg);
    });
    await this.reload();
    return kid;
  }

  async reload(): Promise<void> {
    const { rows } = await this.pool.query<{
      kid: string;
      alg: SigningAlg;
      public_jwk: JWK;
      private_jwk_encrypted: string;
      status: string;
      age: number;
    }>(
      `SELECT kid, alg, public_jwk, private_jwk_encrypted, status,
              extract(epoch FROM now() - created_at)::float8 AS age
         FROM signing_keys
        WHERE status = 'active' OR retired_at > now() - make_interval(secs => $1)
        ORDER BY created_at DESC`,
      [RETIRED_PUBLISH_SECONDS],
    );
    const active = new Map<SigningAlg, SigningKey>();
    for (const alg of new Set(rows.map((r) => r.alg))) {
      // Newest first. The newest key old enough to be published everywhere signs; if none is
      // that old (a rotation soon after a first start), the oldest one, which signed before.
      const candidates = rows.filter((r) => r.alg === alg && r.status === "active");
      const row = candidates.find((r) => r.age >= this.activationDelaySeconds) ?? candidates.at(-1);
      if (!row) continue;
      const privateJwk = this.#decrypt(row.private_jwk_encrypted, row.kid);
      const privateKey = (await importJWK(privateJwk, row.alg)) as CryptoKey;
      active.set(row.alg, { kid: row.kid, alg: row.alg, privateKey, publicJwk: row.public_jwk });
    }
    this.#active = active;
    this.#published = rows.map((r) => r.public_jwk);
    this.#version += 1;
  }

  #decrypt(sealed: string, kid: string): JWK {
    try {
      return JSON.parse(this.#box.open(sealed, kid)) as JWK;
    } catch {
      // Never mint fresh keys here: that would silently invalidate every issued token.
      throw new Error(
        `signing key ${kid} cannot be decrypted with SIGNING_KEY_SECRET (was the secret changed?)`,
      );
    }
  }

  async #ensureActive(alg: SigningAlg): Promise<void> {
    // Replicas starting together must not each create a first key.
    await withLockedTransaction(this.pool, KEY_CREATION_LOCK, async (client) => {
      const found = await client.query(
        "SELECT 1 FROM signing_keys WHERE alg = $1 AND status = 'active'",
        [alg],
      );
      if (!found.rowCount) await this.#insertNewKey(client, alg);
    });
  }

  async #insertNewKey(
    client: { query: (sql: string, params: unknown[]) => Promise<unknown> },
    alg: SigningAlg,
  ): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair(alg, {
      extractable: true,
      ...(alg === "RS256" ? { modulusLength: 2048 } : {}),
    });
    const kid = randomUUID();
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
    const privateJwk = await exportJWK(privateKey);
    await client.query(
      `INSERT INTO signing_keys (kid, alg, public_jwk, private_jwk_encrypted, status)
       VALUES ($1, $2, $3, $4, 'active')`,
      [kid, alg, JSON.stringify(publicJwk), this.#box.seal(JSON.stringify(privateJwk), kid)],
    );
    return kid;
  }
}
