import { OAuthError } from "./oauth-error.js";

/**
 * Parameters of an `application/x-www-form-urlencoded` body (RFC 6749 §3.2). A parameter sent
 * more than once is an error (§3.1/§3.2: "MUST NOT be included more than once"); an empty
 * value counts as absent (§3.1).
 */
export type FormParams = ReadonlyMap<string, string>;

export function parseFormBody(body: string): FormParams {
  const params = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(body)) {
    if (params.has(name)) {
      throw new OAuthError("invalid_request", `parameter ${name} is repeated`);
    }
    if (value !== "") params.set(name, value);
  }
  return params;
}

export function required(params: FormParams, name: string): string {
  const value = params.get(name);
  if (value === undefined) throw new OAuthError("invalid_request", `${name} is required`);
  return value;
}
