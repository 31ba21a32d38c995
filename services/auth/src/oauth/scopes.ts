import { OAuthError } from "./oauth-error.js";

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), space-delimited.
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/**
 * Resolves a requested scope against what the client may ask for: absent → the client's
 * default scopes; anything not allowed → `invalid_scope` (RFC 6749 §3.3, §5.2). Duplicates
 * are dropped and order kept, so the granted string is stable.
 */
export function resolveScope(
  requested: string | undefined,
  allowed: readonly string[],
  defaults: readonly string[],
): string {
  if (requested === undefined) return defaults.join(" ");
  const tokens = requested.split(" ").filter((s) => s !== "");
  if (tokens.length === 0) return defaults.join(" ");
  const unique = [...new Set(tokens)];
  for (const s of unique) {
    if (!SCOPE_TOKEN.test(s)) throw new OAuthError("invalid_scope", "malformed scope");
    if (!allowed.includes(s)) throw new OAuthError("invalid_scope", `scope ${s} is not allowed`);
  }
  return unique.join(" ");
}
