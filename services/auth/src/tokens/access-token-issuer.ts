import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import type { KeyStore } from "../keys/key-store.js";

export interface AccessTokenSubject {
  sub: string;
  clientId: string;
  audience: string;
  scope: string;
  roles: string[];
  sid?: string;
}

export interface IssuedAccessToken {
  token: string;
  jti: string;
  expiresIn: number;
}

/**
 * JWT access tokens per RFC 9068: header `typ: at+jwt` (§2.1) so no other JWT (an ID token)
 * passes as one, ES256 with the active key's `kid`, `roles` as an array (§2.2.3.1).
 */
export class AccessTokenIssuer {
  constructor(
    private readonly keys: KeyStore,
    private readonly issuer: string,
    private readonly ttlSeconds: number,
  ) {}

  async issue(subject: AccessTokenSubject): Promise<IssuedAccessToken> {
    const key = this.keys.active("ES256");
    const jti = randomUUID();
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = {
      client_id: subject.clientId,
      scope: subject.scope,
      roles: subject.roles,
    };
    if (subject.sid) claims.sid = subject.sid;
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: "ES256", kid: key.kid, typ: "at+jwt" })
      .setIssuer(this.issuer)
      .setSubject(subject.sub)
      .setAudience(subject.audience)
      .setIssuedAt(now)
      .setExpirationTime(now + this.ttlSeconds)
      .setJti(jti)
      .sign(key.privateKey);
    return { token, jti, expiresIn: this.ttlSeconds };
  }
}
