import { describe, expect, it } from "vitest";
import { newFamilyId, newRefreshToken, parseRefreshToken } from "./refresh-token.js";

describe("refresh token format", () => {
  it("carries 256 random bits and parses back to its family and hash", () => {
    const family = newFamilyId();
    const { token, hash } = newRefreshToken(family);
    const secret = token.split(".")[1] ?? "";
    expect(Buffer.from(secret, "base64url")).toHaveLength(32);
    expect(parseRefreshToken(token)).toEqual({ family, hash });
    expect(hash).not.toContain(secret);
  });

  it("two tokens of one family differ", () => {
    const family = newFamilyId();
    expect(newRefreshToken(family).token).not.toBe(newRefreshToken(family).token);
  });

  it.each([
    "",
    "no-dot",
    ".",
    `${"a".repeat(22)}.`,
    `${"a".repeat(22)}.${"b".repeat(42)}`,
    `${"a".repeat(21)}.${"b".repeat(43)}`,
    `${"a".repeat(22)}.${"b".repeat(43)}.extra`,
    `${"a".repeat(22)}.${"b".repeat(42)}=`,
    `${"a".repeat(22)}.${"b".repeat(43)}`.replace("b", "\u0000"),
  ])("refuses %j", (token) => {
    expect(parseRefreshToken(token)).toBeUndefined();
  });
});
