import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PINNED_IMAGE, ROOT, read, readYaml, type Yaml } from "./repo.js";

const WORKFLOWS = [".github/workflows/ci.yml", ".github/workflows/release.yml"];
const steps = (wf: Yaml): Yaml[] =>
  Object.values(wf.jobs as Record<string, Yaml>).flatMap((j) => j.steps ?? []);

describe.each(WORKFLOWS)("%s", (file) => {
  const wf = readYaml(file);

  it("pins every action by full commit SHA, with the version in a comment", () => {
    const uses = read(file)
      .split("\n")
      .filter((l) => /^\s*(- )?uses:/.test(l));
    expect(uses.length).toBeGreaterThan(0);
    for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d/);
  });

  it("declares least-privilege permissions (read-only at the top)", () => {
    expect(wf.permissions).toEqual({ contents: "read" });
  });
});

describe("ci.yml", () => {
  const ci = readYaml(".github/workflows/ci.yml");
  const runs = steps(ci).map((s) => String(s.run ?? ""));

  it("runs on push and pull request, cancelling superseded runs", () => {
    expect(Object.keys(ci.on)).toEqual(["push", "pull_request"]);
    expect(ci.concurrency["cancel-in-progress"]).toBe(true);
  });

  it("installs frozen, lints, typechecks and tests against Postgres and Redis services", () => {
    const test = ci.jobs.test;
    expect(test.services.postgres.image).toMatch(PINNED_IMAGE);
    expect(test.services.redis.image).toMatch(PINNED_IMAGE);
    expect(test.env.TEST_DATABASE_URL).toMatch(/^postgres:\/\/.*127\.0\.0\.1:5432/);
    expect(test.env.TEST_REDIS_URL).toBe("redis://127.0.0.1:6379");
    for (const cmd of [
      "pnpm install --frozen-lockfile",
      "pnpm lint",
      "pnpm typecheck",
      "pnpm test",
    ])
      expect(runs).toContain(cmd);
    expect(steps(ci).some((s) => s.with?.cache === "pnpm")).toBe(true);
  });

  it("then runs the Compose end-to-end suite and exits with its status", () => {
    expect(ci.jobs["compose-e2e"].needs).toBe("test");
    expect(runs.join("\n")).toMatch(/docker-compose\.test\.yml\s+up --build --exit-code-from e2e/);
  });
});

describe("release.yml", () => {
  const release = readYaml(".github/workflows/release.yml");
  const job = release.jobs.image;
  const build = steps(release).find((s) => String(s.uses).startsWith("docker/build-push-action"));

  it("runs on version tags and main, and builds each service's Dockerfile", () => {
    expect(release.on.push.tags).toEqual(["v*.*.*"]);
    expect(release.on.push.branches).toEqual(["main"]);
    for (const service of job.strategy.matrix.service) {
      expect(existsSync(join(ROOT, `services/${service}/Dockerfile`))).toBe(true);
    }
    // A GitHub expression, `${{ … }}`, kept literal in the workflow.
    expect(build.with.file).toBe(`services/$\{{ matrix.service }}/Dockerfile`);
  });

  it("pushes semver and SHA tags (never latest) with SBOM and provenance", () => {
    const meta = steps(release).find((s) => String(s.uses).startsWith("docker/metadata-action"));
    expect(meta.with.tags).toMatch(/type=semver/);
    expect(meta.with.tags).toMatch(/type=sha/);
    expect(meta.with.flavor).toBe("latest=false");
    expect(build.with.sbom).toBe(true);
    expect(build.with.provenance).toBe("mode=max");
    expect(steps(release).some((s) => String(s.uses).startsWith("actions/attest-build-prov"))).toBe(
      true,
    );
    expect(job.permissions).toEqual({
      contents: "read",
      packages: "write",
      "id-token": "write",
      attestations: "write",
    });
  });
});

describe("dependabot.yml", () => {
  it("updates npm, Docker images and actions", () => {
    const ecosystems = readYaml(".github/dependabot.yml").updates.map(
      (u: Yaml) => u["package-ecosystem"],
    );
    expect(ecosystems).toEqual(expect.arrayContaining(["npm", "docker", "github-actions"]));
  });
});
