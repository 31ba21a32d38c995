import { escapeHtml, hiddenInputs, layout } from "./html.js";

export interface FormContext {
  /** The authorization request's own parameters, carried through the form. */
  params: Record<string, string>;
  csrf: string;
  clientName: string;
}

export function loginPage(ctx: FormContext & { error?: string; email?: string }): string {
  const error = ctx.error ? `<p class="error" role="alert">${escapeHtml(ctx.error)}</p>` : "";
  return layout(
    "Sign in",
    `<p>to continue to <strong>${escapeHtml(ctx.clientName)}</strong></p>
    ${error}
    <form method="post" action="/oauth/authorize">
      ${hiddenInputs({ ...ctx.params, csrf: ctx.csrf, action: "login" })}
      <label>Email <input type="email" name="email" autocomplete="username" required value="${escapeHtml(ctx.email ?? "")}"></label>
      <label>Password <input type="password" name="password" autocomplete="current-password" required></label>
      <button type="submit">Sign in</button>
    </form>`,
  );
}

export function consentPage(ctx: FormContext & { scopes: string[] }): string {
  const items = ctx.scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join("");
  return layout(
    "Allow access?",
    `<p><strong>${escapeHtml(ctx.clientName)}</strong> asks for:</p>
    <ul>${items || "<li>basic access</li>"}</ul>
    <form method="post" action="/oauth/authorize">
      ${hiddenInputs({ ...ctx.params, csrf: ctx.csrf, action: "consent" })}
      <button type="submit" name="decision" value="allow">Allow</button>
      <button type="submit" name="decision" value="deny">Deny</button>
    </form>`,
  );
}

export function errorPage(message: string): string {
  return layout("Cannot continue", `<p class="error">${escapeHtml(message)}</p>`);
}

export function logoutConfirmPage(fields: Record<string, string>): string {
  return layout(
    "Sign out?",
    `<form method="post" action="/oauth/logout">
      ${hiddenInputs(fields)}
      <button type="submit">Sign out</button>
    </form>`,
  );
}

export function loggedOutPage(): string {
  return layout("Signed out", "<p>You are signed out.</p>");
}
