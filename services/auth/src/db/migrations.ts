import type { Migration } from "@authflow/service-kit";

/** Advisory lock key of the auth database's migrations (any constant unique to this service). */
export const MIGRATION_LOCK_KEY = 0x61757468; // "auth"

export const migrations: Migration[] = [
  {
    id: "001_users",
    sql: `
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        name text,
        password_hash text NOT NULL,
        roles text[] NOT NULL DEFAULT '{user}',
        email_verified boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      -- Emails are unique case-insensitively (DESIGN.md); stored NFKC-normalized and trimmed.
      CREATE UNIQUE INDEX users_email_lower ON users (lower(email));`,
  },
  {
    id: "002_oauth_clients",
    sql: `
      CREATE TABLE oauth_clients (
        client_id text PRIMARY KEY,
        client_type text NOT NULL CHECK (client_type IN ('public', 'confidential')),
        secret_hash text,
        name text NOT NULL,
        first_party boolean NOT NULL DEFAULT false,
        grant_types text[] NOT NULL,
        redirect_uris text[] NOT NULL DEFAULT '{}',
        post_logout_redirect_uris text[] NOT NULL DEFAULT '{}',
        allowed_origins text[] NOT NULL DEFAULT '{}',
        scopes text[] NOT NULL,
        default_scopes text[] NOT NULL DEFAULT '{}',
        audience text NOT NULL,
        id_token_alg text NOT NULL DEFAULT 'RS256',
        can_introspect boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((client_type = 'confidential') = (secret_hash IS NOT NULL))
      );`,
  },
  {
    id: "003_signing_keys",
    sql: `
      CREATE TABLE signing_keys (
        kid text PRIMARY KEY,
        alg text NOT NULL,
        public_jwk jsonb NOT NULL,
        private_jwk_encrypted text NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'retired')),
        created_at timestamptz NOT NULL DEFAULT now(),
        retired_at timestamptz
      );
      CREATE INDEX signing_keys_alg_status ON signing_keys (alg, status, created_at DESC);`,
  },
  {
    id: "004_audit_events",
    sql: `
      CREATE TABLE audit_events (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        event text NOT NULL,
        outcome text NOT NULL,
        user_id uuid,
        client_id text,
        ip inet,
        request_id text,
        detail jsonb NOT NULL DEFAULT '{}'
      );
      CREATE INDEX audit_events_at ON audit_events (at DESC);
      CREATE INDEX audit_events_user ON audit_events (user_id, at DESC);`,
  },
  {
    id: "005_revocations",
    sql: `
      -- Access-token and session revocations outlive a Redis restart (DESIGN.md, data ownership).
      CREATE TABLE revocations (
        kind text NOT NULL CHECK (kind IN ('jti', 'sid')),
        value text NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (kind, value)
      );
      CREATE INDEX revocations_expires ON revocations (expires_at);`,
  },
];
