import type { Migration } from "@authflow/service-kit";

/**
 * Advisory lock key for this service's migrations ("note" in ASCII). Replicas starting
 * together serialize on it; other services use their own key.
 */
export const MIGRATION_LOCK_KEY = 0x6e6f7465;

/** Ordered, append-only: a shipped migration is never edited or renamed. */
export const migrations: Migration[] = [
  {
    id: "001_notes",
    sql: `
      CREATE TABLE notes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_id text NOT NULL,
        title text NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      -- Serves "own notes, newest first" and its keyset pagination in one index scan.
      CREATE INDEX notes_owner_created_idx ON notes (owner_id, created_at DESC, id DESC);
    `,
  },
];
