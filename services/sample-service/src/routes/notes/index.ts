import { requireScopes } from "@authflow/auth-client/fastify";
import { ProblemError, parseOrThrow } from "@authflow/service-kit";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { notesRepository } from "../../db/notes-repository.js";
import { decodeCursor, encodeCursor } from "./cursor.js";
import {
  createNoteBody,
  listNotesQuery,
  type Note,
  type NoteList,
  noteParams,
  toNote,
} from "./schemas.js";

// The guards run in onRequest, before the body is read: an unauthenticated caller gets its
// 401 without us parsing its payload, and cannot learn from a 400 what a valid body looks like.
const canRead = { onRequest: requireScopes("notes:read") };
const canWrite = { onRequest: requireScopes("notes:write") };

/** One answer for "not yours", "no such note" and "not even an id": existence never leaks. */
const notFound = () => new ProblemError(404, "note_not_found", "no such note");

/**
 * The owner is the verified token's subject, nothing else. X-User-* headers (set by the
 * gateway, or forged by anyone who reaches this port directly) are never read.
 */
function ownerOf(request: FastifyRequest): string {
  // Unreachable behind the guards; kept so a route added without one fails closed.
  if (!request.auth) {
    throw new ProblemError(401, "token_missing", undefined, { "www-authenticate": "Bearer" });
  }
  return request.auth.sub;
}

function noteId(params: unknown): string {
  const parsed = noteParams.safeParse(params);
  if (!parsed.success) throw notFound();
  return parsed.data.id.toLowerCase();
}

/** /notes: a user's own notes. Mounted at /notes; the gateway maps /api/notes here. */
export async function notesRoutes(app: FastifyInstance) {
  const notes = notesRepository(app.db);

  app.get("/", canRead, async (request): Promise<NoteList> => {
    const query = parseOrThrow(listNotesQuery, request.query);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    // One row more than asked tells whether another page exists without a COUNT.
    const rows = await notes.list(ownerOf(request), query.limit + 1, after);
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map(toNote),
      nextCursor:
        rows.length > query.limit && last
          ? encodeCursor({ createdAt: last.created_at_us, id: last.id })
          : null,
    };
  });

  app.post("/", canWrite, async (request, reply): Promise<Note> => {
    const input = parseOrThrow(createNoteBody, request.body);
    const note = toNote(await notes.insert(ownerOf(request), input.title, input.body));
    // A relative reference (RFC 9110 §10.2.2, resolved per RFC 3986 §5.2) names the new note
    // both for a direct caller (POST /notes → /notes/<id>) and through the gateway (POST
    // /api/notes → /api/notes/<id>) without trusting any forwarded-prefix header. After a
    // trailing slash (POST /notes/) the base is the collection itself: just the id.
    const path = request.url.split("?")[0] ?? "";
    const location = path.endsWith("/") ? note.id : `notes/${note.id}`;
    return reply.code(201).header("location", location).send(note);
  });

  app.get("/:id", canRead, async (request): Promise<Note> => {
    const row = await notes.get(ownerOf(request), noteId(request.params));
    if (!row) throw notFound();
    return toNote(row);
  });

  app.delete("/:id", canWrite, async (request, reply) => {
    const deleted = await notes.delete(ownerOf(request), noteId(request.params));
    if (!deleted) throw notFound();
    return reply.code(204).send();
  });
}
