import { createHmac } from "node:crypto";

/** base64url of a JSON value (or raw string). */
export const b64 = (value: unknown): string =>
  Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

/** A compact JWS from arbitrary parts, with whatever signature segment is given. */
export const rawToken = (header: unknown, payload: unknown, signature = ""): string =>
  `${b64(header)}.${b64(payload)}.${signature}`;

/** An HS256 JWS whose HMAC secret is `secret` (e.g. a public key's PEM text: T1). */
export function hs256Token(header: unknown, payload: unknown, secret: string): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Resolves with the rejection of `promise` (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error("expected a rejection");
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
