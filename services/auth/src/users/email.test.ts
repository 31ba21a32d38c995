import { describe, expect, it } from "vitest";
import { isPlausibleEmail, normalizeEmail } from "./email.js";

describe("normalizeEmail", () => {
  it("trims and applies NFKC (fullwidth letters fold to ASCII)", () => {
    expect(normalizeEmail("  ａｌｉｃｅ@example.com \n")).toBe("alice@example.com");
  });
  it("keeps the user's case (uniqueness is case-insensitive in the database)", () => {
    expect(normalizeEmail("Alice@Example.com")).toBe("Alice@Example.com");
  });
});

describe("isPlausibleEmail", () => {
  it.each(["a@b.co", "first.last+tag@sub.example.org"])("accepts %s", (e) => {
    expect(isPlausibleEmail(e)).toBe(true);
  });
  it.each([
    "",
    "a",
    "a@b",
    "a b@c.de",
    "@b.co",
    "a@@b.co",
    `${"a".repeat(65)}@b.co`,
    "a\u0000b@example.com",
    "ada\u200b@example.com",
    "a\u202eb@example.com",
  ])("refuses %j", (e) => expect(isPlausibleEmail(e)).toBe(false));
});
