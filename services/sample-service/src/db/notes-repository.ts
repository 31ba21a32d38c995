import type { Pool } from "@authflow/service-kit";

export interface NoteRow {
  id: string;
  title: string;
  body: string;
  created_at: Date;
  /** created_at at full microsecond precision (a JS Date keeps only milliseconds). */
  created_at_us: string;
}

/** A position in the (created_at DESC, id DESC) order: the last row of a page. */
export interface NotePosition {
  createdAt: string;
  id: string;
}

const COLUMNS = `id, title, body, created_at,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at_us`;

/**
 * Every query is scoped by owner_id: a note that belongs to someone else is, to the caller,
 * indistinguishable from one that does not exist.
 */
export function notesRepository(db: Pool) {
  return {
    async insert(ownerId: string, title: string, body: string): Promise<NoteRow> {
      const { rows } = await db.query<NoteRow>(
        `INSERT INTO notes (owner_id, title, body) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`,
        [ownerId, title, body],
      );
      return rows[0] as NoteRow;
    },

    /** Keyset pagination: rows strictly after `after`, so inserts never shift a page. */
    async list(ownerId: string, limit: number, after?: NotePosition): Promise<NoteRow[]> {
      const { rows } = after
        ? await db.query<NoteRow>(
            `SELECT ${COLUMNS} FROM notes
              WHERE owner_id = $1 AND (created_at, id) < ($2::timestamptz, $3::uuid)
              ORDER BY created_at DESC, id DESC LIMIT $4`,
            [ownerId, after.createdAt, after.id, limit],
          )
        : await db.query<NoteRow>(
            `SELECT ${COLUMNS} FROM notes WHERE owner_id = $1
              ORDER BY created_at DESC, id DESC LIMIT $2`,
            [ownerId, limit],
          );
      return rows;
    },

    async get(ownerId: string, id: string): Promise<NoteRow | undefined> {
      const { rows } = await db.query<NoteRow>(
        `SELECT ${COLUMNS} FROM notes WHERE owner_id = $1 AND id = $2`,
        [ownerId, id],
      );
      return rows[0];
    },

    async delete(ownerId: string, id: string): Promise<boolean> {
      const { rowCount } = await db.query("DELETE FROM notes WHERE owner_id = $1 AND id = $2", [
        ownerId,
        id,
      ]);
      return rowCount === 1;
    },
  };
}

export type NotesRepository = ReturnType<typeof notesRepository>;
