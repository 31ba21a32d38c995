import argon2 from "argon2";
import { describe, expect, it, vi } from "vitest";
import { PasswordHasher } from "./passwords.js";

const hasher = new PasswordHasher({ memoryKiB: 19_456, timeCost: 2 });

describe("PasswordHasher", () => {
  it("hashes with argon2id at m=19 MiB, t=2 and verifies the password", async () => {
    const hash = await hasher.hash("correct horse battery staple");
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(await hasher.verifyOrDummy(hash, "correct horse battery staple")).toBe(true);
    expect(await hasher.verifyOrDummy(hash, "correct horse battery stapler")).toBe(false);
  });

  it("normalizes with NFKC so equivalent spellings verify (NIST SP 800-63B-4)", async () => {
    const hash = await hasher.hash("ﬁnal password with ligature"); // U+FB01
    expect(await hasher.verifyOrDummy(hash, "final password with ligature")).toBe(true);
  });

  it("L1: an unknown user still costs one argon2 verification against a dummy hash", async () => {
    const spy = vi.spyOn(argon2, "verify");
    try {
      expect(await hasher.verifyOrDummy(undefined, "whatever password here")).toBe(false);
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy.mock.calls[0]?.[0]).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    } finally {
      spy.mockRestore();
    }
  });

  it("treats a malformed stored hash as a failed login, not an error", async () => {
    expect(await hasher.verifyOrDummy("not-a-hash", "x")).toBe(false);
  });

  it("asks for a rehash when stored parameters are weaker than configured", async () => {
    const stronger = new PasswordHasher({ memoryKiB: 32_768, timeCost: 3 });
    expect(stronger.needsRehash(await hasher.hash("p"))).toBe(true);
    expect(hasher.needsRehash(await hasher.hash("p"))).toBe(false);
  });
});
