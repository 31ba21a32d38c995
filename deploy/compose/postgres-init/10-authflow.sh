#!/usr/bin/env bash
# Runs once, when the postgres volume is empty (docker-entrypoint-initdb.d). Each service gets
# its own role and database ("no service reads another's tables", DESIGN.md); passwords come
# from Compose secrets, never from this file.
set -euo pipefail

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v auth_pw="$(cat /run/secrets/auth_db_password)" \
  -v notes_pw="$(cat /run/secrets/notes_db_password)" <<'SQL'
CREATE ROLE authflow_auth LOGIN PASSWORD :'auth_pw';
CREATE DATABASE authflow_auth OWNER authflow_auth;
REVOKE CONNECT ON DATABASE authflow_auth FROM PUBLIC;

CREATE ROLE authflow_notes LOGIN PASSWORD :'notes_pw';
CREATE DATABASE authflow_notes OWNER authflow_notes;
REVOKE CONNECT ON DATABASE authflow_notes FROM PUBLIC;
SQL
