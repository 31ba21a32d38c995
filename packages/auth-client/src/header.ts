import { decodeProtectedHeader, type ProtectedHeaderParameters } from "jose";
import { AuthClientError } from "./errors.js";

// RFC 9068 §4: the media type is "application/at+jwt"; RFC 7515 §4.1.9 lets producers drop
// the "application/" prefix, and media types compare case-insensitively.
const isAccessTokenType = (typ: unknown): boolean =>
  typeof typ === "string" && typ.toLowerCase().replace(/^application\//, "") === "at+jwt";

/**
 * Decodes and checks the protected header of a compact JWS before any key lookup, so a token
 * with a disallowed `alg` (RFC 8725 §3.1: `none`, HS*, anything not pinned) or the wrong `typ`
 * (an ID token, RFC 9068 §4) is refused without touching the JWKS. The signature is checked
 * later by jose with the same pinned list.
 *
 * @example
 * ```ts
 * const header = readHeader(token, ["ES256"]); // throws AuthClientError
 * header.kid;
 * ```
 */
export function readHeader(
  token: string,
  algorithms: readonly string[],
): ProtectedHeaderParameters {
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(token);
  } catch (cause) {
    throw new AuthClientError("token_malformed", { cause }); // not base64url JSON, or not an object
  }
  if (typeof header.alg !== "string" || !algorithms.includes(header.alg)) {
    throw new AuthClientError("token_invalid", { cause: new Error("alg not allowed") });
  }
  if (header.kid !== undefined && typeof header.kid !== "string") {
    throw new AuthClientError("token_malformed", { cause: new Error("kid is not a string") });
  }
  if (!isAccessTokenType(header.typ)) throw new AuthClientError("token_type_invalid");
  return header;
}
