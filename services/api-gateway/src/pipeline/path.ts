/**
 * Request-target validation, run on the RAW target (`request.raw.url`) before any matching,
 * so the policy decision and the upstream see one and the same path (cases G1, G2).
 *
 * - Only origin-form (RFC 9112 §3.2.1) is accepted: no absolute URI, no `*`.
 * - Percent-encoded unreserved characters (RFC 3986 §2.3) are decoded — they are equivalent
 *   to their literal form (§6.2.2.2) — and the decoded path is what is matched AND forwarded.
 *   Other encodings are kept, hex upper-cased (§6.2.2.1); `%25` is never decoded twice.
 * - Refused: encoded `/` or `\`, any backslash, control characters (raw or encoded), dot
 *   segments in any spelling (also `..;x`, which some servers treat as `..`), empty segments
 *   (`//`), malformed percent-encoding and characters outside RFC 3986 `pchar`.
 * - The query string is passed on byte for byte.
 */
export type PathResult =
  | { ok: true; path: string; query: string }
  | { ok: false; reason: PathRefusal };

export type PathRefusal =
  | "non_origin_form"
  | "control_char"
  | "backslash"
  | "invalid_char"
  | "bad_percent_encoding"
  | "encoded_slash"
  | "encoded_backslash"
  | "empty_segment"
  | "dot_segment";

const PCHARS_OR_SLASH = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$/;
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

export function validateTarget(raw: string): PathResult {
  if (!raw.startsWith("/")) return { ok: false, reason: "non_origin_form" };
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are the point
  if (/[\x00-\x20\x7f]/.test(raw)) return { ok: false, reason: "control_char" };
  const q = raw.indexOf("?");
  const rawPath = q === -1 ? raw : raw.slice(0, q);
  const query = q === -1 ? "" : raw.slice(q);
  if (rawPath.includes("\\")) return { ok: false, reason: "backslash" };
  if (!PCHARS_OR_SLASH.test(rawPath)) return { ok: false, reason: "invalid_char" };

  const decoded = decodeUnreserved(rawPath);
  if (typeof decoded !== "string") return { ok: false, reason: decoded.reason };

  const segments = decoded.split("/").slice(1);
  for (const [i, segment] of segments.entries()) {
    // A trailing slash (last segment empty) is allowed; `//` anywhere else is not.
    if (segment === "" && i < segments.length - 1) return { ok: false, reason: "empty_segment" };
    const name = segment.split(";")[0];
    if (name === "." || name === "..") return { ok: false, reason: "dot_segment" };
  }
  return { ok: true, path: decoded, query };
}

function decodeUnreserved(path: string): string | { reason: PathRefusal } {
  let out = "";
  for (let i = 0; i < path.length; i++) {
    const c = path[i] as string;
    if (c !== "%") {
      out += c;
      continue;
    }
    const hex = path.slice(i + 1, i + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return { reason: "bad_percent_encoding" };
    const code = Number.parseInt(hex, 16);
    const char = String.fromCharCode(code);
    if (char === "/") return { reason: "encoded_slash" };
    if (char === "\\") return { reason: "encoded_backslash" };
    if (code < 0x20 || code === 0x7f) return { reason: "control_char" };
    out += UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
    i += 2;
  }
  return out;
}
