import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/**
 * Encrypts private signing keys at rest with AES-256-GCM. The key is derived from
 * SIGNING_KEY_SECRET with HKDF-SHA256 (RFC 5869) so the secret's text never is the key itself;
 * the key id is bound as additional data so a ciphertext cannot be moved to another row.
 */
const VERSION = "v1";

function deriveKey(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "authflow", "signing-key-encryption:v1", 32));
}

export class SecretBox {
  readonly #key: Buffer;
  constructor(secret: string) {
    this.#key = deriveKey(secret);
  }

  seal(plaintext: string, associatedData: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.#key, iv);
    cipher.setAAD(Buffer.from(associatedData));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    const parts = [iv, body, cipher.getAuthTag()].map((b) => b.toString("base64url"));
    return [VERSION, ...parts].join(".");
  }

  /** Throws when the secret is wrong or the ciphertext was altered. */
  open(sealed: string, associatedData: string): string {
    const [version, iv, body, tag] = sealed.split(".");
    if (version !== VERSION || !iv || !body || !tag) throw new Error("unsupported key envelope");
    const decipher = createDecipheriv("aes-256-gcm", this.#key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(associatedData));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([
      decipher.update(Buffer.from(body, "base64url")),
      decipher.final(),
    ]).toString("utf8");
  }
}
