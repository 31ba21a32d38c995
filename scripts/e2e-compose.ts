// The end-to-end job inside `docker compose … -f docker-compose.test.yml`: runs the demo flow
// against GATEWAY_URL once the stack is healthy and exits with its status (--exit-code-from).
import { runDemo } from "./src/demo-flow.js";

const gateway = process.env.GATEWAY_URL ?? "http://api-gateway:8080";

console.log(`e2e against ${gateway}`);
runDemo(gateway, (name, detail) => console.log(`  ok ${name}: ${detail}`)).then(
  () => {
    console.log("1 passed, 0 failed");
    process.exit(0);
  },
  (err: unknown) => {
    console.error(`  FAIL ${err instanceof Error ? err.message : String(err)}`);
    console.log("0 passed, 1 failed");
    process.exit(1);
  },
);
