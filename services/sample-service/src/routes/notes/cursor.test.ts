import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "./cursor.js";

describe("cursor", () => {
  it("round-trips a position at microsecond precision and is URL-safe", () => {
    const position = {
      createdAt: "2024-05-06T07:08:09.123456Z",
      id: "0b8a3c2e-8f1d-4d6e-9a57-3c1f2e4d5b6a",
    };
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(position);
  });

  it("rejects what it did not issue with a 400 invalid_cursor", () => {
    expect(() => decodeCursor("a b")).toThrow(
      expect.objectContaining({ status: 400, code: "invalid_cursor" }),
    );
  });
});
