import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../../test-support/harness.js";
import { encodeCursor } from "./cursor.js";
import { type Note, noteListSchema } from "./schemas.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness("pages");
});
afterAll(() => h?.close());

async function page(sub: string, query: string) {
  const res = await h.app.inject({ url: `/notes?${query}`, headers: await h.auth(sub) });
  return res;
}

/** Follows nextCursor to the end; returns every note seen, in order. */
async function walk(sub: string, limit: number, between?: () => Promise<void>): Promise<Note[]> {
  const seen: Note[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 100; i++) {
    const query = `limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`;
    const res = await page(sub, query);
    expect(res.statusCode).toBe(200);
    const list = noteListSchema.parse(res.json());
    expect(list.items.length).toBeLessThanOrEqual(limit);
    seen.push(...list.items);
    cursor = list.nextCursor;
    if (!cursor) return seen;
    await between?.();
  }
  throw new Error("pagination did not end");
}

async function seed(sub: string, count: number) {
  const values = Array.from({ length: count }, (_, i) => `('${sub}', 'n${i}', '')`).join(",");
  // One statement: every row gets the same now(), so order rests on the id tie-breaker alone.
  await h.app.db.query(`INSERT INTO notes (owner_id, title, body) VALUES ${values}`);
}

describe("GET /notes pagination", () => {
  it("walks all pages with no duplicates or gaps, newest first (ties broken by id)", async () => {
    await seed("walker", 23);
    for (let i = 0; i < 4; i++) {
      await h.app.inject({
        method: "POST",
        url: "/notes",
        headers: await h.auth("walker"),
        payload: { title: `later ${i}`, body: "" },
      });
    }
    const all = await walk("walker", 5);
    expect(all).toHaveLength(27);
    expect(new Set(all.map((n) => n.id)).size).toBe(27);
    expect(all.slice(0, 4).map((n) => n.title)).toEqual([
      "later 3",
      "later 2",
      "later 1",
      "later 0",
    ]);
    const ties = all.slice(4).map((n) => n.id);
    expect(ties).toEqual([...ties].sort().reverse());
  });

  it("is stable across inserts between pages: no duplicates, nothing older skipped", async () => {
    await seed("busy", 12);
    const before = await walk("busy", 100);
    let n = 0;
    const during = await walk("busy", 4, async () => {
      await h.app.inject({
        method: "POST",
        url: "/notes",
        headers: await h.auth("busy"),
        payload: { title: `new ${n++}`, body: "" },
      });
    });
    // New notes sort before the cursor, so the walk sees exactly the notes that existed.
    expect(during.map((x) => x.id)).toEqual(before.map((x) => x.id));
  });

  it("an exact multiple of the limit ends with nextCursor null, not an empty page", async () => {
    await seed("exact", 6);
    const first = noteListSchema.parse((await page("exact", "limit=3")).json());
    const second = noteListSchema.parse(
      (await page("exact", `limit=3&cursor=${first.nextCursor}`)).json(),
    );
    expect(second.items).toHaveLength(3);
    expect(second.nextCursor).toBeNull();
  });

  it("defaults to 20 items and accepts 1 and 100", async () => {
    await seed("many", 101);
    const byLimit = async (q: string) => noteListSchema.parse((await page("many", q)).json());
    expect((await byLimit("")).items).toHaveLength(20);
    expect((await byLimit("limit=1")).items).toHaveLength(1);
    expect((await byLimit("limit=100")).items).toHaveLength(100);
  });

  it("a cursor never reveals another user's notes", async () => {
    await seed("victim", 3);
    const victim = noteListSchema.parse((await page("victim", "limit=1")).json());
    const res = await page("thief", `cursor=${victim.nextCursor}`);
    expect(res.json()).toEqual({ items: [], nextCursor: null });
  });

  it.each(["0", "101", "-1", "1.5", "abc", "", "1e2x"])("limit=%s → 400 problem", async (v) => {
    const res = await page("walker", `limit=${v}`);
    expect(res.statusCode).toBe(400);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 400, code: "invalid_request" });
  });

  const b64 = (s: string) => Buffer.from(s).toString("base64url");
  const id = "0b8a3c2e-8f1d-4d6e-9a57-3c1f2e4d5b6a";
  it.each([
    ["not base64url", "!!!"],
    ["empty", ""],
    ["padding", `${b64("x")}==`],
    ["junk", b64("hello")],
    ["no id", b64("2024-01-01T00:00:00.000000Z")],
    ["bad uuid", b64("2024-01-01T00:00:00.000000Z|not-a-uuid")],
    ["month 13", b64(`2024-13-01T00:00:00.000000Z|${id}`)],
    ["31 February", b64(`2024-02-31T00:00:00.000000Z|${id}`)],
    ["hour 25", b64(`2024-01-01T25:00:00.000000Z|${id}`)],
    ["milliseconds only", b64(`2024-01-01T00:00:00.000Z|${id}`)],
    ["extra field", b64(`2024-01-01T00:00:00.000000Z|${id}|x`)],
    ["SQL", b64(`2024-01-01T00:00:00.000000Z|${id}' OR 1=1 --`)],
    ["too long", "a".repeat(5000)],
  ])("malformed cursor (%s) → 400 invalid_cursor", async (_label, cursor) => {
    const res = await page("walker", `cursor=${encodeURIComponent(cursor)}`);
    expect(res.statusCode).toBe(400);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 400, code: "invalid_cursor" });
  });

  it("a well-formed cursor this service could have issued is accepted", async () => {
    const cursor = encodeCursor({ createdAt: "2999-01-01T00:00:00.000000Z", id });
    const res = await page("walker", `limit=2&cursor=${cursor}`);
    expect(res.statusCode).toBe(200);
    expect(noteListSchema.parse(res.json()).items).toHaveLength(2);
  });
});
