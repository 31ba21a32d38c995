import { randomBytes } from "node:crypto";
import argon2, { type HashOptions } from "argon2";

export interface PasswordCost {
  memoryKiB: number;
  timeCost: number;
}

/**
 * argon2id (RFC 9106) with at least OWASP's minimum cost (m = 19 MiB, t = 2, p = 1).
 * `verifyOrDummy` always runs one argon2 verification, so a login for an unknown email costs
 * the same time as a wrong password for a known one (no enumeration by timing, case L1).
 */
export class PasswordHasher {
  readonly #options: HashOptions;
  #dummyHash: Promise<string> | undefined;

  constructor(cost: PasswordCost) {
    this.#options = {
      type: argon2.argon2id,
      memoryCost: cost.memoryKiB,
      timeCost: cost.timeCost,
      parallelism: 1,
    };
  }

  /** Passwords are NFKC-normalized before hashing (NIST SP 800-63B-4 §3.1.1.2). */
  hash(password: string): Promise<string> {
    return argon2.hash(password.normalize("NFKC"), this.#options);
  }

  /** Verifies against `hash`, or against a dummy hash of equal cost when there is no user. */
  async verifyOrDummy(hash: string | undefined, password: string): Promise<boolean> {
    if (hash === undefined) {
      this.#dummyHash ??= this.hash(randomBytes(32).toString("base64url"));
      await argon2.verify(await this.#dummyHash, password.normalize("NFKC"));
      return false;
    }
    try {
      return await argon2.verify(hash, password.normalize("NFKC"));
    } catch {
      return false; // a malformed stored hash never authenticates
    }
  }

  /** Whether a stored hash was made with weaker parameters than today's (rehash on login). */
  needsRehash(hash: string): boolean {
    return argon2.needsRehash(hash, this.#options);
  }

  /** Computes the dummy hash ahead of the first unknown-email login. */
  async warmUp(): Promise<void> {
    this.#dummyHash ??= this.hash(randomBytes(32).toString("base64url"));
    await this.#dummyHash;
  }
}
