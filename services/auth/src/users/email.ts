/**
 * Canonical form of an email address as stored: trimmed and NFKC-normalized (DESIGN.md), so
 * visually identical addresses written with compatibility characters collide. Uniqueness is
 * case-insensitive (a lower() index), but the user's own spelling is kept for display.
 */
export function normalizeEmail(raw: string): string {
  return raw.normalize("NFKC").trim();
}

// One '@', a non-empty local part without spaces, a domain with a dot. Deliberately loose:
// RFC 5321 addresses are only proven valid by delivering mail to them.
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}\.[^\s@]{1,63}$/u;

// Control, format (zero-width), private-use and unassigned characters: invisible or
// unstorable (Postgres refuses NUL), they would let look-alike accounts coexist.
const INVISIBLE = /\p{C}/u;

export function isPlausibleEmail(email: string): boolean {
  return email.length <= 254 && EMAIL.test(email) && !INVISIBLE.test(email);
}
