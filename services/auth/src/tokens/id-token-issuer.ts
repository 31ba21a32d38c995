import { createHash } from "node:crypto";
import { SignJWT } from "jose";
import type { KeyStore, SigningAlg } from "../keys/key-store.js";

export interface IdTokenInput {
  sub: string;
  clientId: string;
  alg: SigningAlg;
  authTime: number;
  sid: string;
  nonce?: string;
  accessToken: string;
}

/**
 * OpenID Connect ID tokens (OIDC Core §2): RS256 unless the client registered ES256 (both
 * hash with SHA-256, so `at_hash` is the left half of SHA-256 of the access token, §3.1.3.6).
 * The header says `typ: JWT`, so no access-token verifier accepts one (RFC 9068 §4).
 */
export class IdTokenIssuer {
  constructor(
    private readonly keys: KeyStore,
    private readonly issuer: string,
    private readonly ttlSeconds: number,
  ) {}

  async issue(input: IdTokenInput): Promise<string> {
    const key = this.keys.active(input.alg);
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = {
      auth_time: input.authTime,
      at_hash: atHash(input.accessToken),
      sid: input.sid,
      azp: input.clientId,
    };
    if (input.nonce !== undefined) claims.nonce = input.nonce;
    return new SignJWT(claims)
      .setProtectedHeader({ alg: input.alg, kid: key.kid, typ: "JWT" })
      .setIssuer(this.issuer)
      .setSubject(input.sub)
      .setAudience(input.clientId)
      .setIssuedAt(now)
      .setExpirationTime(now + this.ttlSeconds)
      .sign(key.privateKey);
  }
}

export function atHash(accessToken: string): string {
  const digest = createHash("sha256").update(accessToken, "ascii").digest();
  return digest.subarray(0, digest.length / 2).toString("base64url");
}
