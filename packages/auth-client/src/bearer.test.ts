import { describe, expect, it } from "vitest";
import { extractBearerToken } from "./bearer.js";

describe("extractBearerToken (RFC 6750 §2.1)", () => {
  it.each<[string, string | string[], string]>([
    ["the canonical form", "Bearer abc.def.ghi", "abc.def.ghi"],
    ["a lower-case scheme", "bearer abc.def.ghi", "abc.def.ghi"],
    ["an upper-case scheme", "BEARER abc", "abc"],
    ["several spaces (1*SP)", "Bearer   abc", "abc"],
    ["all b64token characters", "Bearer aZ09-._~+/==", "aZ09-._~+/=="],
    ["a single value in an array", ["Bearer abc"], "abc"],
  ])("accepts %s", (_name, header, token) => {
    expect(extractBearerToken(header)).toBe(token);
  });

  it.each<[string, string | string[] | undefined, string]>([
    ["no header", undefined, "token_missing"],
    ["an empty header", "", "token_missing"],
    ["no values", [], "token_missing"],
    ["another scheme", "Basic dXNlcjpwYXNz", "token_missing"],
    ["a scheme glued to the token", "Bearerabc", "token_missing"],
    ["the scheme alone", "Bearer", "token_malformed"],
    ["two tokens", "Bearer abc def", "token_malformed"],
    ["a comma-separated second credential", "Bearer abc, Bearer def", "token_malformed"],
    ["a tab separator", "Bearer\tabc", "token_malformed"],
    ["characters outside b64token", "Bearer abc$def", "token_malformed"],
    ["padding in the middle", "Bearer ab=c", "token_malformed"],
    ["a quoted token", 'Bearer "abc"', "token_malformed"],
    ["two Authorization headers", ["Bearer abc", "Bearer def"], "token_malformed"],
    ["a token over 8 KiB", `Bearer ${"a".repeat(8193)}`, "token_malformed"],
    ["64 KiB of 'a'", `Bearer ${"a".repeat(64 * 1024)}`, "token_malformed"],
  ])("refuses %s", (_name, header, code) => {
    expect(() => extractBearerToken(header)).toThrow(
      expect.objectContaining({ code, status: 401 }),
    );
  });
});
