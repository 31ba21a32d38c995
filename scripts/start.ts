// `pnpm start`: the whole system as local processes, for development. Creates the databases
// if missing, starts auth, notes and the gateway with prefixed, readable logs, and stops them
// all on Ctrl-C. This is the only place with a fixed SIGNING_KEY_SECRET: a development value.
import { ensureDatabase } from "@authflow/service-kit";
import { formatLogLine } from "./src/log-format.js";
import { assertPortFree, portFrom } from "./src/ports.js";
import { preflight } from "./src/preflight.js";
import { startStack } from "./src/stack.js";

const DEV_SIGNING_KEY_SECRET = "authflow-development-only-signing-secret-do-not-deploy";
// Secrets of the confidential clients seeded from services/auth/clients.json (development only).
const DEV_CLIENT_SECRETS = {
  NOTES_SERVICE_CLIENT_SECRET: "dev-notes-service-secret-do-not-deploy",
  REPORTS_JOB_CLIENT_SECRET: "dev-reports-job-secret-do-not-deploy",
};

const env = process.env;
const postgresUrl = env.POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const redisUrl = env.REDIS_URL ?? "redis://127.0.0.1:6379";
let ports: { auth: string; notes: string; gateway: string };
try {
  ports = {
    auth: String(portFrom("AUTH_PORT", env.AUTH_PORT, 8000)),
    notes: String(portFrom("NOTES_PORT", env.NOTES_PORT, 8081)),
    gateway: String(portFrom("GATEWAY_PORT", env.GATEWAY_PORT, 8080)),
  };
} catch (err) {
  console.error(`pnpm start: ${(err as Error).message}`);
  process.exit(1);
}
const issuer = env.ISSUER ?? `http://localhost:${ports.gateway}`;
const color = process.stdout.isTTY === true;

function databaseUrl(name: string): string {
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function main(): Promise<void> {
  await assertPortFree("AUTH_PORT", Number(ports.auth));
  await assertPortFree("NOTES_PORT", Number(ports.notes));
  await assertPortFree("GATEWAY_PORT", Number(ports.gateway));
  const problem = await preflight(postgresUrl, redisUrl);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
  const authDb = env.AUTH_DATABASE_URL ?? databaseUrl("authflow_auth");
  const notesDb = env.NOTES_DATABASE_URL ?? databaseUrl("authflow_notes");
  for (const url of [authDb, notesDb]) {
    if (await ensureDatabase(url))
      console.log(`created database ${new URL(url).pathname.slice(1)}`);
  }
  const authUrl = `http://127.0.0.1:${ports.auth}`;
  const common = { HOST: "127.0.0.1", ISSUER: issuer, AUTH_SERVER_URL: authUrl };
  const stack = await startStack({
    env: {
      auth: {
        ...common,
        PORT: ports.auth,
        DATABASE_URL: authDb,
        REDIS_URL: redisUrl,
        SIGNING_KEY_SECRET: env.SIGNING_KEY_SECRET ?? DEV_SIGNING_KEY_SECRET,
        NOTES_SERVICE_CLIENT_SECRET:
          env.NOTES_SERVICE_CLIENT_SECRET ?? DEV_CLIENT_SECRETS.NOTES_SERVICE_CLIENT_SECRET,
        REPORTS_JOB_CLIENT_SECRET:
          env.REPORTS_JOB_CLIENT_SECRET ?? DEV_CLIENT_SECRETS.REPORTS_JOB_CLIENT_SECRET,
      },
      notes: { ...common, PORT: ports.notes, DATABASE_URL: notesDb, REDIS_URL: redisUrl },
      gateway: {
        ...common,
        PORT: ports.gateway,
        REDIS_URL: redisUrl,
        NOTES_SERVICE_URL: `http://127.0.0.1:${ports.notes}`,
      },
    },
    onLine: (service, line) => console.log(formatLogLine(service, line, color)),
  });
  console.log(
    `\nAuthflow is up: ${issuer} (gateway). Try 'pnpm demo' in another terminal; Ctrl-C stops.\n`,
  );

  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log("\nstopping…");
    await stack.stop();
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));
  const died = await stack.exited;
  console.error(`${died} exited unexpectedly; stopping the others`);
  await shutdown(1);
}

main().catch((err: unknown) => {
  console.error(`pnpm start failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
