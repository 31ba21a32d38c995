import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    // Workspace packages are consumed from source in tests (the "source" export condition).
    alias: [
      { find: /^@authflow\/auth-client$/, replacement: src("./packages/auth-client/src/index.ts") },
      {
        find: /^@authflow\/auth-client\/(fastify|testing)$/,
        replacement: src("./packages/auth-client/src/$1.ts"),
      },
      {
        find: /^@authflow\/auth\/testing$/,
        replacement: src("./services/auth/src/test-support/index.ts"),
      },
      { find: /^@authflow\/service-kit$/, replacement: src("./packages/service-kit/src/index.ts") },
      {
        find: /^@authflow\/service-kit\/testing$/,
        replacement: src("./packages/service-kit/src/testing/index.ts"),
      },
    ],
  },
  test: {
    include: [
      "packages/*/src/**/*.test.ts",
      "services/*/src/**/*.test.ts",
      "scripts/src/**/*.test.ts",
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Chooses Postgres/Redis for every test file: given URLs, testcontainers, or local services.
    globalSetup: ["packages/service-kit/src/testing/global-setup.ts"],
  },
});
