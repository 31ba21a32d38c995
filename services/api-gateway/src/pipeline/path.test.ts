import { describe, expect, it } from "vitest";
import { type PathRefusal, validateTarget } from "./path.js";

describe("validateTarget: refused before matching (400 invalid_path)", () => {
  const refused: [string, PathRefusal][] = [
    // G2 dot segments, exactly as in cases/README.md, then variants.
    ["/auth/../api/notes", "dot_segment"],
    ["/auth/%2e%2e/api/notes", "dot_segment"],
    ["/auth/..%2fapi/notes", "encoded_slash"],
    ["/auth/.%2e/api/notes", "dot_segment"],
    ["/auth/%2e./api/notes", "dot_segment"],
    ["/auth/%2E%2E/api/notes", "dot_segment"],
    ["/auth/./api/notes", "dot_segment"],
    ["/auth/%2e/api/notes", "dot_segment"],
    ["/auth/..", "dot_segment"],
    ["/auth/.", "dot_segment"],
    ["/auth/../", "dot_segment"],
    ["/auth/..;/api/notes", "dot_segment"],
    ["/auth/..;x=1/api/notes", "dot_segment"],
    ["/..", "dot_segment"],
    // Encoded separators.
    ["/auth%2fapi/notes", "encoded_slash"],
    ["/auth%2F..%2Fapi%2Fnotes", "encoded_slash"],
    ["/auth/%5c..%5capi/notes", "encoded_backslash"],
    ["/auth/%5C", "encoded_backslash"],
    ["/auth\\..\\api\\notes", "backslash"],
    ["/auth/x\\y", "backslash"],
    // Control characters, raw or encoded.
    ["/auth/%00", "control_char"],
    ["/auth/x%0d%0aX-User-Id:%20admin", "control_char"],
    ["/auth/%7f", "control_char"],
    ["/auth/\u0000", "control_char"],
    ["/auth/a\tb", "control_char"],
    ["/auth/x?y=\u0001", "control_char"],
    // Empty segments.
    ["//api/notes", "empty_segment"],
    ["/api//notes", "empty_segment"],
    ["/auth//", "empty_segment"],
    // Not origin-form.
    ["*", "non_origin_form"],
    ["http://evil.example/api/notes", "non_origin_form"],
    ["api/notes", "non_origin_form"],
    ["", "non_origin_form"],
    // Malformed encodings and characters outside pchar.
    ["/auth/%zz", "bad_percent_encoding"],
    ["/auth/%2", "bad_percent_encoding"],
    ["/auth/%", "bad_percent_encoding"],
    ["/auth/%%32%65", "bad_percent_encoding"],
    ["/auth/<script>", "invalid_char"],
    ['/auth/"x"', "invalid_char"],
    ["/auth/é", "invalid_char"],
    ["/auth/#frag", "invalid_char"],
  ];
  it.each(refused)("G2 %j → %s", (raw, reason) => {
    expect(validateTarget(raw)).toEqual({ ok: false, reason });
  });
});

describe("validateTarget: accepted, path normalized once for policy AND upstream", () => {
  const accepted: [string, string, string][] = [
    // G1: encoded unreserved characters decode, so the policy sees the upstream's path.
    ["/api/%6Eotes", "/api/notes", ""],
    ["/api/%6eotes", "/api/notes", ""],
    ["/api/note%73/x", "/api/notes/x", ""],
    ["/%61%70%69/%6E%6F%74%65%73", "/api/notes", ""],
    ["/api/notes/%7e%2D%5F%41%30", "/api/notes/~-_A0", ""],
    // Case is kept: matching is case-sensitive (G1 /API/notes).
    ["/API/notes", "/API/notes", ""],
    // Reserved/other characters stay encoded (hex upper-cased), never decoded twice.
    ["/api/notes/a%20b", "/api/notes/a%20b", ""],
    ["/api/notes/%3a%3B", "/api/notes/%3A%3B", ""],
    ["/api/notes/%252e%252e", "/api/notes/%252e%252e", ""],
    ["/api/notes/%c3%a9", "/api/notes/%C3%A9", ""],
    // Dots that are not dot segments.
    ["/.well-known/jwks.json", "/.well-known/jwks.json", ""],
    ["/api/notes/...", "/api/notes/...", ""],
    ["/api/notes/..x", "/api/notes/..x", ""],
    ["/api/notes/.hidden", "/api/notes/.hidden", ""],
    // Trailing slash and root.
    ["/api/notes/", "/api/notes/", ""],
    ["/", "/", ""],
    // The query passes byte for byte, whatever it contains.
    ["/api/notes?x", "/api/notes", "?x"],
    ["/api/notes/x?y=1&z=%2e%2e/../%2f\\", "/api/notes/x", "?y=1&z=%2e%2e/../%2f\\"],
    ["/oauth/authorize?q={\"a\":'b'}|^`", "/oauth/authorize", "?q={\"a\":'b'}|^`"],
    ["/api/notes??", "/api/notes", "??"],
  ];
  it.each(accepted)("G1 %j → path %j query %j", (raw, path, query) => {
    expect(validateTarget(raw)).toEqual({ ok: true, path, query });
  });
});
