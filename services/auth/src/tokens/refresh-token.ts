import { createHash, randomBytes } from "node:crypto";

/**
 * Refresh tokens are opaque: `<family id>.<secret>`, the secret 256 random bits (DESIGN.md).
 * The family id is visible so every key of a family shares one Redis Cluster hash slot
 * (`{family}`); it grants nothing alone. Only SHA-256 of the whole token is stored, so a
 * Redis dump yields no usable token.
 */
const FAMILY = /^[A-Za-z0-9_-]{22}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

export interface ParsedRefreshToken {
  family: string;
  hash: string;
}

export function newFamilyId(): string {
  return randomBytes(16).toString("base64url");
}

export function newRefreshToken(family: string): { token: string; hash: string } {
  const token = `${family}.${randomBytes(32).toString("base64url")}`;
  return { token, hash: hashToken(token) };
}

/** Parses a presented token; anything not of our exact shape is `undefined`. */
export function parseRefreshToken(token: string): ParsedRefreshToken | undefined {
  const dot = token.indexOf(".");
  if (dot < 0) return undefined;
  const family = token.slice(0, dot);
  if (!FAMILY.test(family) || !SECRET.test(token.slice(dot + 1))) return undefined;
  return { family, hash: hashToken(token) };
}

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}
