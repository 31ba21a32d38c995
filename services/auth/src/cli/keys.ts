// `pnpm keys list | rotate [--alg ES256|RS256]`: signing keys in the auth database. Rotation
// publishes the new key at once and signs with it after SIGNING_KEY_ACTIVATION_DELAY, when
// every replica (they reload each minute) serves it.
import { parseArgs } from "node:util";
import { createPool, loadConfig } from "@authflow/service-kit";
import { configSchema } from "../config.js";
import { KeyStore, type SigningAlg } from "../keys/key-store.js";
import { runCli } from "./run.js";

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: { alg: { type: "string", default: "ES256" } },
  });
  if (command !== "list" && command !== "rotate") {
    console.error("usage: pnpm keys list | pnpm keys rotate [--alg ES256|RS256]");
    return 2;
  }
  if (values.alg !== "ES256" && values.alg !== "RS256") throw new Error("--alg is ES256 or RS256");
  const config = loadConfig(configSchema); // DATABASE_URL, SIGNING_KEY_SECRET (or *_FILE)
  const pool = createPool(config.DATABASE_URL, 2);
  try {
    const keys = new KeyStore(pool, config.SIGNING_KEY_SECRET, config.SIGNING_KEY_ACTIVATION_DELAY);
    if (command === "rotate") {
      const kid = await keys.rotate(values.alg as SigningAlg);
      console.log(
        `published ${values.alg} key ${kid}; it signs in ${config.SIGNING_KEY_ACTIVATION_DELAY} s`,
      );
      return 0;
    }
    await keys.reload();
    for (const alg of ["ES256", "RS256"] as const) {
      const signing = keys.active(alg).kid;
      for (const jwk of keys.jwks().keys.filter((k) => k.alg === alg)) {
        console.log(`${alg}\t${jwk.kid}${jwk.kid === signing ? "\tsigning" : ""}`);
      }
    }
    return 0;
  } finally {
    await pool.end();
  }
}

runCli("keys", main);
