import { readFile } from "node:fs/promises";
import { z } from "zod";

// RFC 6749 §3.1.2: absolute, no fragment; https, or http on the loopback interface only
// (RFC 9700 §2.1, RFC 8252 §7.3); no credentials in it.
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);
const redirectUri = z
  .url({ protocol: /^https?$/, message: "must be an http(s) URL" })
  .refine((u) => !u.includes("#"), "must not contain a fragment")
  .refine((u) => {
    const url = URL.parse(u);
    return url !== null && (url.protocol === "https:" || LOOPBACK.has(url.hostname));
  }, "must be https (http only for localhost)")
  .refine((u) => {
    const url = URL.parse(u);
    return url !== null && url.username === "" && url.password === "";
  }, "must not contain credentials");

const scope = z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, "invalid scope token"); // RFC 6749 §3.3

/** A client's registration, as the CLI and the seed file both give it. */
const clientFields = z
  .object({
    clientId: z.string().regex(/^[\x20-\x7e]{1,128}$/, "printable ASCII, 1-128 characters"),
    name: z.string().min(1).max(200),
    type: z.enum(["public", "confidential"]),
    firstParty: z.boolean().default(false),
    grantTypes: z
      .array(z.enum(["authorization_code", "refresh_token", "client_credentials"]))
      .min(1),
    redirectUris: z.array(redirectUri).default([]),
    postLogoutRedirectUris: z.array(redirectUri).default([]),
    // Browsers send `Origin` as scheme://host[:port], no path or trailing slash.
    allowedOrigins: z
      .array(
        z
          .url()
          .refine((u) => URL.parse(u)?.origin === u, "must be an origin like https://app.example"),
      )
      .default([]),
    scopes: z.array(scope),
    defaultScopes: z.array(scope).default([]),
    audience: z.string().min(1),
    idTokenAlg: z.enum(["RS256", "ES256"]).default("RS256"),
    canIntrospect: z.boolean().default(false),
  })
  .strict();

const defaultsWithinScopes = (c: { defaultScopes: string[]; scopes: string[] }) =>
  c.defaultScopes.every((s) => c.scopes.includes(s));

export const clientDefinitionSchema = clientFields.refine(defaultsWithinScopes, {
  message: "defaultScopes must be a subset of scopes",
});

const clientSchema = clientFields
  .extend({
    /** Name of the env variable (or NAME_FILE) holding a confidential client's secret. */
    secretEnv: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]*$/)
      .optional(),
  })
  .strict()
  .refine((c) => (c.type === "confidential") === (c.secretEnv !== undefined), {
    message: "confidential clients need secretEnv; public clients must not have one",
  })
  .refine(defaultsWithinScopes, { message: "defaultScopes must be a subset of scopes" });

export type ClientDefinition = z.infer<typeof clientDefinitionSchema>;

export const clientsFileSchema = z
  .object({ clients: z.array(clientSchema) })
  .strict()
  .refine((f) => new Set(f.clients.map((c) => c.clientId)).size === f.clients.length, {
    message: "duplicate clientId",
  });

export type ClientSeed = z.infer<typeof clientSchema>;

/** Reads and validates the clients file; the error names the file and the first bad field. */
export async function readClientsFile(path: string): Promise<ClientSeed[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, "utf8"));
  } catch (err) {
    throw new Error(`clients file ${path}: ${(err as Error).message}`);
  }
  const parsed = clientsFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`clients file ${path}: ${issue?.path.join(".")}: ${issue?.message}`);
  }
  return parsed.data.clients;
}
