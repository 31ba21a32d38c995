import { describe, expect, it } from "vitest";
import { SecretBox } from "./secret-box.js";

describe("SecretBox", () => {
  const box = new SecretBox("a-secret-of-at-least-thirty-two-characters");

  it("round-trips and never contains the plaintext", () => {
    const sealed = box.seal('{"d":"private"}', "kid-1");
    expect(sealed).not.toContain("private");
    expect(box.open(sealed, "kid-1")).toBe('{"d":"private"}');
  });

  it("refuses another key id (a ciphertext moved to another row)", () => {
    const sealed = box.seal("x", "kid-1");
    expect(() => box.open(sealed, "kid-2")).toThrow();
  });

  it("refuses a wrong secret and a tampered ciphertext", () => {
    const sealed = box.seal("x", "kid-1");
    expect(() =>
      new SecretBox("another-secret-of-thirty-two-characters!").open(sealed, "kid-1"),
    ).toThrow();
    const parts = sealed.split(".");
    parts[2] = Buffer.from("y").toString("base64url");
    expect(() => box.open(parts.join("."), "kid-1")).toThrow();
  });
});
