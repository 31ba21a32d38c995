import { z } from "zod";
import type { NoteRow } from "../../db/notes-repository.js";

// Request and response shapes of /notes, checked in each handler with parseOrThrow.

/** Postgres text cannot hold U+0000, and a lone surrogate would be silently altered. */
const storable = (s: string) => !s.includes("\u0000") && !/\p{Cs}/u.test(s);
/** Length in characters (code points), so an emoji counts once. */
const chars = (s: string) => [...s].length;

export const createNoteBody = z.strictObject({
  title: z
    .string()
    .refine((s) => chars(s) >= 1 && chars(s) <= 200, "must be 1 to 200 characters")
    .refine((s) => s.trim() !== "", "must not be blank")
    // A title is one line: no control characters (tabs, newlines, escapes).
    .refine((s) => !/\p{Cc}/u.test(s), "must not contain control characters")
    .refine(storable, "must not contain unpaired surrogates"),
  body: z
    .string()
    .refine((s) => chars(s) <= 10_000, "must be at most 10000 characters")
    .refine(storable, "must not contain NUL or unpaired surrogates"),
});

export const listNotesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().optional(),
});

/**
 * Path parameter of /notes/:id. Loose on version and variant (any 8-4-4-4-12 hex); anything
 * else cannot name a note, and is answered like an unknown id.
 */
export const noteParams = z.object({ id: z.guid() });

export const noteSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  body: z.string(),
  createdAt: z.iso.datetime(),
});

export type Note = z.infer<typeof noteSchema>;

export const noteListSchema = z.object({
  items: z.array(noteSchema),
  nextCursor: z.string().nullable(),
});

export type NoteList = z.infer<typeof noteListSchema>;

export function toNote(row: NoteRow): Note {
  return { id: row.id, title: row.title, body: row.body, createdAt: row.created_at.toISOString() };
}
