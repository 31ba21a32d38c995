import { type AccessTokenClaims, createVerifier, type Verifier } from "@authflow/auth-client";
import type { KeyStore } from "../keys/key-store.js";
import type { RevocationStore } from "./revocation-store.js";

/**
 * The auth service verifies its own access tokens (userinfo, introspection, revocation) with
 * the one verifier of the repo, auth-client, over its local key set, rebuilt when the key set
 * changes, and with the revocation list.
 */
export class LocalTokenVerifier {
  #verifier: Verifier | undefined;
  #builtFor = -1;

  constructor(
    private readonly keys: KeyStore,
    private readonly revocations: RevocationStore,
    private readonly issuer: string,
    private readonly audience: string,
  ) {}

  verify(token: string): Promise<AccessTokenClaims> {
    if (!this.#verifier || this.#builtFor !== this.keys.version) {
      this.#verifier = createVerifier({
        issuer: this.issuer,
        audience: this.audience,
        keySet: this.keys.jwks(),
        isRevoked: (claims) => this.revocations.isRevoked(claims),
      });
      this.#builtFor = this.keys.version;
    }
    return this.#verifier.verify(token);
  }
}
