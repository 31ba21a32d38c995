import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../../test-support/harness.js";
import { noteListSchema, noteSchema } from "./schemas.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness("crud");
});
afterAll(() => h?.close());

async function create(sub: string, title: string, body = "") {
  const res = await h.app.inject({
    method: "POST",
    url: "/notes",
    headers: await h.auth(sub),
    payload: { title, body },
  });
  expect(res.statusCode).toBe(201);
  return { res, note: noteSchema.parse(res.json()) };
}

describe("notes CRUD", () => {
  it("creates a note: 201, the note, and a Location that resolves directly and via the gateway", async () => {
    const before = Date.now();
    const { res, note } = await create("alice", "Groceries", "milk, eggs");
    expect(note).toMatchObject({ title: "Groceries", body: "milk, eggs" });
    expect(Object.keys(note).sort()).toEqual(["body", "createdAt", "id", "title"]);
    expect(Date.parse(note.createdAt)).toBeGreaterThanOrEqual(before - 1000);
    const location = String(res.headers.location);
    expect(new URL(location, "http://notes:8081/notes").pathname).toBe(`/notes/${note.id}`);
    expect(new URL(location, "http://localhost:8080/api/notes").pathname).toBe(
      `/api/notes/${note.id}`,
    );
  });

  it("a POST to /notes/ (trailing slash) gets a Location that still resolves to the note", async () => {
    const res = await h.app.inject({
      method: "POST",
      url: "/notes/",
      headers: await h.auth("alice"),
      payload: { title: "Slash", body: "" },
    });
    expect(res.statusCode).toBe(201);
    const id = res.json().id;
    const location = String(res.headers.location);
    expect(new URL(location, "http://notes:8081/notes/").pathname).toBe(`/notes/${id}`);
    expect(new URL(location, "http://localhost:8080/api/notes/").pathname).toBe(`/api/notes/${id}`);
  });

  it("gets an own note by id (also with the id in upper case)", async () => {
    const { note } = await create("alice", "Read me", "body text");
    for (const id of [note.id, note.id.toUpperCase()]) {
      const res = await h.app.inject({
        url: `/notes/${id}`,
        headers: await h.auth("alice", "notes:read"),
      });
      expect(res.statusCode).toBe(200);
      expect(noteSchema.parse(res.json())).toEqual(note);
    }
  });

  it("lists only the caller's notes, newest first", async () => {
    const mine = [];
    for (const title of ["one", "two", "three"]) mine.push((await create("carol", title)).note);
    await create("dave", "not carol's");
    const res = await h.app.inject({ url: "/notes", headers: await h.auth("carol") });
    expect(res.statusCode).toBe(200);
    const list = noteListSchema.parse(res.json());
    expect(list.items.map((n) => n.title)).toEqual(["three", "two", "one"]);
    expect(list.items).toEqual(mine.reverse());
    expect(list.nextCursor).toBeNull();
  });

  it("lists nothing for a user without notes", async () => {
    const res = await h.app.inject({ url: "/notes", headers: await h.auth("nobody") });
    expect(res.json()).toEqual({ items: [], nextCursor: null });
  });

  it("deletes an own note: 204, then 404 on get and on a second delete", async () => {
    const { note } = await create("alice", "Temporary");
    const headers = await h.auth("alice");
    const del = await h.app.inject({ method: "DELETE", url: `/notes/${note.id}`, headers });
    expect(del.statusCode).toBe(204);
    expect(del.body).toBe("");
    const get = await h.app.inject({ url: `/notes/${note.id}`, headers });
    expect(get.statusCode).toBe(404);
    const again = await h.app.inject({ method: "DELETE", url: `/notes/${note.id}`, headers });
    expect(again.statusCode).toBe(404);
  });
});

describe("another user's note is indistinguishable from no note", () => {
  it.each([
    ["another user's id", "owned"],
    ["an unknown uuid", "00000000-0000-4000-8000-000000000000"],
    ["a non-uuid id", "not-a-uuid"],
    ["a SQL-looking id", "1' OR '1'='1"],
    ["a nil-like id", "0"],
  ])("GET and DELETE with %s → 404 note_not_found, same body", async (_label, raw) => {
    const { note } = await create("owner", "Private");
    const id = raw === "owned" ? note.id : raw;
    const headers = await h.auth("intruder");
    for (const method of ["GET", "DELETE"] as const) {
      const res = await h.app.inject({ method, url: `/notes/${encodeURIComponent(id)}`, headers });
      expect(res.statusCode).toBe(404);
      expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(res.json()).toEqual({
        type: "about:blank",
        title: "Not Found",
        status: 404,
        code: "note_not_found",
        detail: "no such note",
      });
    }
    // The intruder's DELETE did not remove the owner's note.
    const stillThere = await h.app.inject({
      url: `/notes/${note.id}`,
      headers: await h.auth("owner"),
    });
    expect(stillThere.statusCode).toBe(200);
  });
});
