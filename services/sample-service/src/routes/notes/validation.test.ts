import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../../test-support/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness("validation");
});
afterAll(() => h?.close());

async function post(payload: string, contentType = "application/json") {
  return h.app.inject({
    method: "POST",
    url: "/notes",
    headers: { ...(await h.auth("val")), "content-type": contentType },
    payload,
  });
}

function expectProblem(
  res: { statusCode: number; headers: Record<string, unknown> },
  status: number,
) {
  expect(res.statusCode).toBe(status);
  expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
}

const json = (value: unknown) => JSON.stringify(value);

describe("POST /notes body validation", () => {
  it.each([
    ["missing title", { body: "x" }],
    ["missing body", { title: "x" }],
    ["empty title", { title: "", body: "" }],
    ["blank title", { title: "   ", body: "" }],
    ["title of 201 characters", { title: "t".repeat(201), body: "" }],
    ["title with a newline", { title: "a\nb", body: "" }],
    ["title with NUL", { title: "a\u0000b", body: "" }],
    ["body of 10001 characters", { title: "x", body: "b".repeat(10_001) }],
    ["body with NUL", { title: "x", body: "a\u0000b" }],
    ["body with a lone surrogate", { title: "x", body: "a\ud800b" }],
    ["title a number", { title: 42, body: "" }],
    ["body null", { title: "x", body: null }],
    ["unknown field", { title: "x", body: "", owner_id: "someone-else" }],
    ["an id chosen by the client", { title: "x", body: "", id: randomUUID() }],
    ["an array", [{ title: "x", body: "" }]],
    ["null", null],
    ["a string", "title"],
  ])("%s → 400 invalid_request", async (_label, value) => {
    const res = await post(json(value));
    expectProblem(res, 400);
    expect(res.json()).toMatchObject({ status: 400, code: "invalid_request" });
    expect(res.body).not.toMatch(/at .*\.ts|stack/i);
  });

  it.each([
    ["truncated", '{"title": "x", "body": '],
    ["trailing comma", '{"title": "x", "body": "",}'],
    ["single quotes", "{'title': 'x'}"],
    ["empty", ""],
  ])("malformed JSON (%s) → 400 problem, never 500", async (_label, raw) => {
    const res = await post(raw);
    expectProblem(res, 400);
    expect(res.json().code).toMatch(/^(malformed_body|invalid_request)$/);
  });

  it("a __proto__ key is refused, not merged", async () => {
    const res = await post('{"title": "x", "body": "", "__proto__": {"admin": true}}');
    expectProblem(res, 400);
  });

  it.each(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])(
    "content type %s → 415 problem",
    async (type) => {
      const res = await post(json({ title: "x", body: "" }), type);
      expectProblem(res, 415);
      expect(res.json().code).toBe("unsupported_media_type");
    },
  );

  it("a body over 64 KiB → 413 problem", async () => {
    const res = await post(json({ title: "x", body: "b".repeat(70_000) }));
    expectProblem(res, 413);
    expect(res.json().code).toBe("payload_too_large");
  });

  it("accepts the limits: 200-character title, 10000-character body, emoji counted once", async () => {
    const cases = [
      { title: "t".repeat(200), body: "b".repeat(10_000) },
      { title: "😀".repeat(200), body: "😀".repeat(10_000) },
      // Worst case for the body limit: every character \u-escaped still fits in 64 KiB.
      { title: "x", body: "\u0001".repeat(10_000) },
    ];
    for (const value of cases) {
      const res = await post(json(value));
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject(value);
    }
  });

  it("accepts application/json with a charset parameter", async () => {
    const res = await post(json({ title: "x", body: "" }), "application/json; charset=utf-8");
    expect(res.statusCode).toBe(201);
  });
});
