import { ProblemError } from "@authflow/service-kit";
import type { NotePosition } from "../../db/notes-repository.js";

// Inside the opaque cursor: "<created_at, UTC, microseconds>|<id>". Clients must not parse it;
// the format may change. Microseconds matter: rounding to milliseconds would skip or repeat
// notes created within the same millisecond.
const TIMESTAMP = /^[1-9]\d{3}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE64URL = /^[A-Za-z0-9_-]{1,200}$/;

export function encodeCursor(position: NotePosition): string {
  return Buffer.from(`${position.createdAt}|${position.id}`, "utf8").toString("base64url");
}

/**
 * Decodes a cursor from a query string, checking every part before it reaches SQL: a cursor
 * that Postgres would reject (a 13th month, a bad uuid) must be a 400, never a 500.
 */
export function decodeCursor(cursor: string): NotePosition {
  // Buffer.from(…, "base64url") silently skips foreign characters; refuse them first.
  if (BASE64URL.test(cursor)) {
    const [createdAt = "", id = "", ...rest] = Buffer.from(cursor, "base64url")
      .toString("utf8")
      .split("|");
    if (rest.length === 0 && UUID.test(id) && isRealInstant(createdAt)) return { createdAt, id };
  }
  throw new ProblemError(400, "invalid_cursor", "cursor is not one this service issued");
}

/** True for a well-formed timestamp naming a real calendar instant (no 31 February). */
function isRealInstant(value: string): boolean {
  if (!TIMESTAMP.test(value)) return false;
  const millis = `${value.slice(0, 23)}Z`;
  const date = new Date(millis);
  return !Number.isNaN(date.getTime()) && date.toISOString() === millis;
}
