// `pnpm clients list | add | remove`: manage OAuth clients in the auth database. A new
// confidential client's secret is generated here, printed once, and stored only as a hash.
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { createPool, ensureDatabase, migrate } from "@authflow/service-kit";
import { ClientRepository } from "../clients/client-repository.js";
import { clientDefinitionSchema } from "../clients/client-seed.js";
import { MIGRATION_LOCK_KEY, migrations } from "../db/migrations.js";
import { PasswordHasher } from "../users/passwords.js";
import { runCli } from "./run.js";

const USAGE = `usage:
  pnpm clients list
  pnpm clients add --id ID --name NAME --type public|confidential --grant GRANT... --scope SCOPE...
                   [--default-scope S...] [--redirect-uri URI...] [--post-logout-redirect-uri URI...]
                   [--origin ORIGIN...] [--audience AUD] [--first-party] [--introspect] [--id-token-alg RS256|ES256]
  pnpm clients remove --id ID`;

const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/authflow_auth";

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      id: { type: "string" },
      name: { type: "string" },
      type: { type: "string" },
      grant: { type: "string", multiple: true },
      scope: { type: "string", multiple: true },
      "default-scope": { type: "string", multiple: true },
      "redirect-uri": { type: "string", multiple: true },
      "post-logout-redirect-uri": { type: "string", multiple: true },
      origin: { type: "string", multiple: true },
      audience: { type: "string" },
      "first-party": { type: "boolean" },
      introspect: { type: "boolean" },
      "id-token-alg": { type: "string" },
    },
  });
  if (!command || !["list", "add", "remove"].includes(command)) {
    console.error(USAGE);
    return 2;
  }
  await ensureDatabase(databaseUrl);
  const pool = createPool(databaseUrl, 2);
  try {
    await migrate(pool, migrations, MIGRATION_LOCK_KEY);
    const repo = new ClientRepository(pool);
    if (command === "list") {
      for (const c of await repo.list()) {
        console.log(
          `${c.clientId}\t${c.type}\t${c.grantTypes.join(",")}\t${c.scopes.join(" ")}\t${c.name}`,
        );
      }
      return 0;
    }
    if (!values.id) throw new Error("--id is required");
    if (command === "remove") {
      const removed = await repo.remove(values.id);
      console.log(removed ? `removed ${values.id}` : `no client ${values.id}`);
      return removed ? 0 : 1;
    }
    const parsed = clientDefinitionSchema.safeParse({
      clientId: values.id,
      name: values.name,
      type: values.type,
      grantTypes: values.grant ?? [],
      scopes: values.scope ?? [],
      defaultScopes: values["default-scope"] ?? [],
      redirectUris: values["redirect-uri"] ?? [],
      postLogoutRedirectUris: values["post-logout-redirect-uri"] ?? [],
      allowedOrigins: values.origin ?? [],
      audience: values.audience ?? "authflow-api",
      firstParty: values["first-party"] ?? false,
      canIntrospect: values.introspect ?? false,
      idTokenAlg: values["id-token-alg"] ?? "RS256",
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${issue?.path.join(".") || "client"}: ${issue?.message}`);
    }
    if (await repo.find(parsed.data.clientId))
      throw new Error(`client ${parsed.data.clientId} exists`);
    let secret: string | undefined;
    if (parsed.data.type === "confidential") {
      secret = randomBytes(32).toString("base64url");
      await repo.upsert(
        parsed.data,
        await new PasswordHasher({ memoryKiB: 19_456, timeCost: 2 }).hash(secret),
      );
    } else {
      await repo.upsert(parsed.data, null);
    }
    console.log(`added ${parsed.data.clientId} (${parsed.data.type})`);
    if (secret) console.log(`client_secret: ${secret}\n(shown once; only its hash is stored)`);
    return 0;
  } finally {
    await pool.end();
  }
}

runCli("clients", main);
