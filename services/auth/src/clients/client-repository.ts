import type { Pool } from "@authflow/service-kit";
import type { ClientDefinition } from "./client-seed.js";

export interface OAuthClient {
  clientId: string;
  type: "public" | "confidential";
  secretHash: string | null;
  name: string;
  firstParty: boolean;
  grantTypes: string[];
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  allowedOrigins: string[];
  scopes: string[];
  defaultScopes: string[];
  audience: string;
  idTokenAlg: "RS256" | "ES256";
  canIntrospect: boolean;
}

interface ClientRow {
  client_id: string;
  client_type: "public" | "confidential";
  secret_hash: string | null;
  name: string;
  first_party: boolean;
  grant_types: string[];
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  allowed_origins: string[];
  scopes: string[];
  default_scopes: string[];
  audience: string;
  id_token_alg: "RS256" | "ES256";
  can_introspect: boolean;
}

const toClient = (r: ClientRow): OAuthClient => ({
  clientId: r.client_id,
  type: r.client_type,
  secretHash: r.secret_hash,
  name: r.name,
  firstParty: r.first_party,
  grantTypes: r.grant_types,
  redirectUris: r.redirect_uris,
  postLogoutRedirectUris: r.post_logout_redirect_uris,
  allowedOrigins: r.allowed_origins,
  scopes: r.scopes,
  defaultScopes: r.default_scopes,
  audience: r.audience,
  idTokenAlg: r.id_token_alg,
  canIntrospect: r.can_introspect,
});

export class ClientRepository {
  constructor(private readonly pool: Pool) {}

  async find(clientId: string): Promise<OAuthClient | undefined> {
    const { rows } = await this.pool.query<ClientRow>(
      "SELECT * FROM oauth_clients WHERE client_id = $1",
      [clientId],
    );
    return rows[0] && toClient(rows[0]);
  }

  async list(): Promise<OAuthClient[]> {
    const { rows } = await this.pool.query<ClientRow>(
      "SELECT * FROM oauth_clients ORDER BY client_id",
    );
    return rows.map(toClient);
  }

  async remove(clientId: string): Promise<boolean> {
    const res = await this.pool.query("DELETE FROM oauth_clients WHERE client_id = $1", [clientId]);
    return (res.rowCount ?? 0) > 0;
  }

  /** Every origin a browser client registered (CORS). */
  async allowedOrigins(): Promise<string[]> {
    const { rows } = await this.pool.query<{ origin: string }>(
      "SELECT DISTINCT unnest(allowed_origins) AS origin FROM oauth_clients",
    );
    return rows.map((r) => r.origin);
  }

  /** Inserts or updates a client; `secretHash` is null for public clients. */
  async upsert(seed: ClientDefinition, secretHash: string | null): Promise<void> {
    await this.pool.query(
      `INSERT INTO oauth_clients (client_id, client_type, secret_hash, name, first_party,
         grant_types, redirect_uris, post_logout_redirect_uris, allowed_origins, scopes,
         default_scopes, audience, id_token_alg, can_introspect)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)
       ON CONFLICT (client_id) DO UPDATE SET client_type = EXCLUDED.client_type,
         secret_hash = EXCLUDED.secret_hash, name = EXCLUDED.name,
         first_party = EXCLUDED.first_party, grant_types = EXCLUDED.grant_types,
         redirect_uris = EXCLUDED.redirect_uris,
         post_logout_redirect_uris = EXCLUDED.post_logout_redirect_uris,
         allowed_origins = EXCLUDED.allowed_origins, scopes = EXCLUDED.scopes,
         default_scopes = EXCLUDED.default_scopes, audience = EXCLUDED.audience,
         id_token_alg = EXCLUDED.id_token_alg, can_introspect = EXCLUDED.can_introspect,
         updated_at = now()`,
      [
        seed.clientId,
        seed.type,
        secretHash,
        seed.name,
        seed.firstParty,
        seed.grantTypes,
        seed.redirectUris,
        seed.postLogoutRedirectUris,
        seed.allowedOrigins,
        seed.scopes,
        seed.defaultScopes,
        seed.audience,
        seed.idTokenAlg,
        seed.canIntrospect,
      ],
    );
  }
}
