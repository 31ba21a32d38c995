// `pnpm demo`: runs the main job against the running stack, through the gateway only.
import { runDemo } from "./src/demo-flow.js";

const gateway = process.env.GATEWAY_URL ?? "http://localhost:8080";

console.log(`Authflow demo against ${gateway}\n`);
runDemo(gateway, (name, detail) => console.log(`  ✓ ${name.padEnd(22)} ${detail}`)).then(
  () => console.log("\nall steps passed"),
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    const hint = /fetch failed|ECONNREFUSED/.test(`${message} ${(err as Error)?.cause ?? ""}`)
      ? ` (is the stack running? start it with 'pnpm start')`
      : "";
    console.error(`\n  ✗ ${message}${hint}`);
    process.exit(1);
  },
);
