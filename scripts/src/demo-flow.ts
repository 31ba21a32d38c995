/**
 * The main job, end to end, through the gateway only: register → login → create note → list
 * → refresh → replay the old refresh token (refused, family revoked) → log in again → logout →
 * that refresh token refused, and the session's access token too. Each step checks the real answer; the first wrong one throws.
 */
export type Step = (name: string, detail: string) => void;

interface Res {
  status: number;
  body: Record<string, unknown>;
}

export async function runDemo(gatewayUrl: string, step: Step): Promise<void> {
  const base = gatewayUrl.replace(/\/+$/, "");
  const email = `demo+${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const password = "a long demo passphrase, not reused";

  const reg = await call("POST", `${base}/auth/register`, {
    json: { email, password, name: "Demo" },
  });
  expect(reg, 201, "register");
  step("register", `201 user ${reg.body.id} <${email}>`);

  const login = await call("POST", `${base}/auth/login`, { json: { email, password } });
  expect(login, 200, "login");
  const access0 = String(login.body.access_token);
  const rt0 = String(login.body.refresh_token);
  step(
    "login",
    `200 access token (${login.body.expires_in}s, scope "${login.body.scope}") + refresh token`,
  );

  const created = await call("POST", `${base}/api/notes`, {
    json: { title: "Hello", body: "Written through the gateway" },
    token: access0,
  });
  expect(created, 201, "create note");
  step("create note", `201 note ${created.body.id}`);

  const list = await call("GET", `${base}/api/notes`, { token: access0 });
  expect(list, 200, "list notes");
  const items = list.body.items as Array<{ id: string }>;
  if (!items.some((n) => n.id === created.body.id))
    throw new Error("list notes: the new note is missing");
  step("list notes", `200 ${items.length} note(s), the new one included`);

  const refreshed = await refresh(base, rt0);
  expect(refreshed, 200, "refresh");
  const rt1 = String(refreshed.body.refresh_token);
  if (rt1 === rt0) throw new Error("refresh: the refresh token was not rotated");
  step("refresh", "200 new access token and a rotated refresh token");

  const replay = await refresh(base, rt0);
  expectError(replay, 400, "invalid_grant", "replay old refresh token");
  const familyGone = await refresh(base, rt1);
  expectError(familyGone, 400, "invalid_grant", "newest refresh token after reuse");
  step(
    "reuse detected",
    "400 invalid_grant for the old token, and its family (newest token too) revoked",
  );

  const again = await call("POST", `${base}/auth/login`, { json: { email, password } });
  expect(again, 200, "log in again");
  const rt2 = String(again.body.refresh_token);
  const access2 = String(again.body.access_token);
  step("log in again", "200 a new session");

  const out = await call("POST", `${base}/auth/logout`, {
    json: { refresh_token: rt2 },
    token: access2, // names the session even if Redis has lost the refresh family
  });
  expect(out, 204, "logout");
  step("logout", "204");

  const afterLogout = await refresh(base, rt2);
  expectError(afterLogout, 400, "invalid_grant", "refresh after logout");
  step("refused after logout", "400 invalid_grant");

  const revoked = await call("GET", `${base}/api/notes`, { token: access2 });
  expect(revoked, 401, "access token of the logged-out session");
  step("access token revoked", "401 at once, not at its expiry");
}

function refresh(base: string, refreshToken: string): Promise<Res> {
  return call("POST", `${base}/oauth/token`, {
    form: { grant_type: "refresh_token", refresh_token: refreshToken, client_id: "authflow-app" },
  });
}

async function call(
  method: string,
  url: string,
  opts: { json?: unknown; form?: Record<string, string>; token?: string },
): Promise<Res> {
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (opts.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(opts.json);
  } else if (opts.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(opts.form).toString();
  }
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { text };
    }
  }
  return { status: res.status, body: parsed };
}

function expect(res: Res, status: number, what: string): void {
  if (res.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
  }
}

function expectError(res: Res, status: number, error: string, what: string): void {
  expect(res, status, what);
  if (res.body.error !== error) {
    throw new Error(`${what}: expected error ${error}, got ${JSON.stringify(res.body)}`);
  }
}
