import { describe, expect, it } from "vitest";
import { read, SERVICES, unknownVars } from "./repo.js";

interface Instruction {
  op: string;
  args: string;
}

/** Dockerfile instructions, continuation lines joined, comments dropped, split by stage. */
function stages(text: string): Instruction[][] {
  const lines = text.replace(/\\\n/g, " ").split("\n");
  const result: Instruction[][] = [];
  for (const line of lines.map((l) => l.trim())) {
    if (line === "" || line.startsWith("#")) continue;
    const [op = "", ...rest] = line.split(/\s+/);
    const instruction = { op: op.toUpperCase(), args: rest.join(" ") };
    if (instruction.op === "FROM") result.push([]);
    result.at(-1)?.push(instruction);
  }
  return result;
}

const rootPackage = JSON.parse(read("package.json")) as { packageManager: string };

describe.each(SERVICES)("services/$name/Dockerfile", (service) => {
  const text = read(`services/${service.name}/Dockerfile`);
  const [build = [], runtime = [], ...extra] = stages(text);
  const args = (stage: Instruction[], op: string) =>
    stage.filter((i) => i.op === op).map((i) => i.args);

  it("is two stages on the Node 24 LTS image pinned to an exact version", () => {
    expect(extra).toEqual([]);
    expect(text).toMatch(/^ARG NODE_IMAGE=node:24\.\d+\.\d+-bookworm-slim$/m);
    // Both stages use the one ARG (a Dockerfile `${…}`, not a JavaScript placeholder).
    const from = (stage: string) => `$\{NODE_IMAGE} AS ${stage}`;
    expect(args(build, "FROM")).toEqual([from("build")]);
    expect(args(runtime, "FROM")).toEqual([from("runtime")]);
  });

  it("installs from the lockfile with the pinned pnpm, builds, deploys production deps only", () => {
    const run = args(build, "RUN").join("\n");
    expect(run).toContain(`npm install --global ${rootPackage.packageManager}`);
    expect(run).toMatch(/pnpm install .*--frozen-lockfile/);
    expect(run).toContain(`pnpm --filter "${service.pkg}..." build`);
    expect(run).toContain(`pnpm deploy --filter ${service.pkg} --prod /out`);
    // argon2 is compiled here; the toolchain never reaches the runtime image.
    expect(run).toMatch(/python3 make g\+\+/);
    expect(args(runtime, "RUN").join("\n")).not.toMatch(/python3|g\+\+|make/);
  });

  it("runs as a non-root user with NODE_ENV=production under tini", () => {
    const user = args(runtime, "USER");
    expect(user).toHaveLength(1);
    expect(user[0]).not.toMatch(/^(root|0)(:|$)/);
    const env = args(runtime, "ENV").join(" ");
    expect(env).toContain("NODE_ENV=production");
    expect(env).toContain("HOST=0.0.0.0");
    expect(env).toContain(`PORT=${service.port}`);
    expect(args(runtime, "EXPOSE")).toEqual([String(service.port)]);
    expect(args(runtime, "ENTRYPOINT")).toEqual(['["/usr/bin/tini", "--"]']);
    expect(args(runtime, "CMD")).toEqual(['["node", "dist/server.js"]']);
  });

  it("sets only variables the service reads", () => {
    const names = args(runtime, "ENV")
      .flatMap((a) => a.split(/\s+/))
      .map((kv) => kv.split("=")[0] ?? "")
      .filter((n) => n !== "NODE_ENV");
    expect(unknownVars(service, names)).toEqual([]);
  });

  it("checks its health against /healthz with node (no curl in the slim image)", () => {
    expect(args(runtime, "HEALTHCHECK").join(" ")).toMatch(/CMD \["node", "healthcheck\.mjs"\]/);
    expect(read("deploy/docker/healthcheck.mjs")).toContain('path: "/healthz"');
  });

  it("copies nothing secret: only the deploy output and the health check", () => {
    expect(args(runtime, "COPY")).toEqual([
      "--from=build /out ./",
      "deploy/docker/healthcheck.mjs ./healthcheck.mjs",
    ]);
  });
});

describe(".dockerignore", () => {
  it("keeps dependencies, build output, VCS data and secrets out of the build context", () => {
    const ignored = read(".dockerignore").split("\n");
    for (const entry of ["**/node_modules", "**/dist", ".git", ".env", ".env.*", "secrets/"]) {
      expect(ignored).toContain(entry);
    }
    expect(ignored).toEqual(expect.arrayContaining(["**/*.pem", "**/*.key", ".dev-certs/"]));
  });
});
