import { describe, expect, it } from "vitest";
import {
  composeConfig,
  inlineCredentials,
  missingRequiredVars,
  PINNED_IMAGE,
  read,
  readYaml,
  SECRET_NAME,
  SERVICES,
  unknownVars,
  type Yaml,
} from "./repo.js";

const FILES = ["docker-compose.yml", "docker-compose.test.yml", "docker-compose.tls.yml"];
const base = readYaml("docker-compose.yml");
const services = Object.entries(base.services as Record<string, Yaml>);
const envNames = (svc: Yaml): string[] => Object.keys(svc.environment ?? {});

describe("docker-compose files", () => {
  it("pass Compose's own validation (base, base + test, base + tls)", () => {
    composeConfig(["docker-compose.yml"]);
    composeConfig(["docker-compose.yml", "docker-compose.test.yml"]);
    composeConfig(["docker-compose.yml", "docker-compose.tls.yml"]);
  });

  it("pin every image to an exact version and build ours from their Dockerfiles", () => {
    for (const file of FILES) {
      for (const [name, svc] of Object.entries(readYaml(file).services as Record<string, Yaml>)) {
        if (svc.image) expect(svc.image, `${file} ${name}`).toMatch(PINNED_IMAGE);
      }
    }
    for (const { name } of SERVICES) {
      expect(base.services[name].build.dockerfile).toBe(`services/${name}/Dockerfile`);
    }
  });

  it("wait for healthy dependencies, restart services, and check the data stores' health", () => {
    for (const [name, svc] of services) {
      expect(svc.restart, name).toBe("unless-stopped");
      for (const [dep, cond] of Object.entries(svc.depends_on ?? {})) {
        expect((cond as Yaml).condition, `${name} → ${dep}`).toBe("service_healthy");
      }
    }
    // auth, notes and the gateway inherit HEALTHCHECK from their images (dockerfiles.test.ts).
    expect(base.services.postgres.healthcheck.test.join(" ")).toContain("pg_isready");
    expect(base.services.redis.healthcheck.test.join(" ")).toContain("redis-cli ping");
    expect(base.services.redis.command).toContain("--appendonly");
    expect(base.services.postgres.volumes[0]).toMatch(/^postgres-data:/);
  });

  it("publish only the gateway, on the edge network; everything else stays internal", () => {
    expect(base.networks.internal.internal).toBe(true);
    for (const [name, svc] of services) {
      expect(Boolean(svc.ports), name).toBe(name === "api-gateway");
      expect(svc.networks.includes("edge"), name).toBe(name === "api-gateway");
      expect(svc.networks, name).toContain("internal");
    }
  });

  it("keep the issuer public and service-to-service URLs internal", () => {
    for (const { name } of SERVICES) {
      const env = base.services[name].environment;
      expect(env.ISSUER, name).toMatch(/^\$\{AUTHFLOW_ISSUER:-http:\/\/localhost:8080\}$/);
      if (env.AUTH_SERVER_URL) expect(env.AUTH_SERVER_URL).toBe("http://auth:8000");
    }
  });

  it("set only variables each service reads, and every required one", () => {
    for (const service of SERVICES) {
      const names = envNames(base.services[service.name]);
      expect(unknownVars(service, names), service.name).toEqual([]);
      expect(missingRequiredVars(service, names), service.name).toEqual([]);
      const tls = envNames(readYaml("docker-compose.tls.yml").services[service.name]);
      expect(unknownVars(service, tls), `tls ${service.name}`).toEqual([]);
    }
  });

  it("hold no secret literal: secrets come from files under ./secrets via *_FILE", () => {
    for (const file of FILES) {
      const doc = readYaml(file);
      expect(inlineCredentials(read(file)), file).toEqual([]);
      for (const [name, svc] of Object.entries(doc.services as Record<string, Yaml>)) {
        for (const [key, value] of Object.entries(svc.environment ?? {})) {
          if (!SECRET_NAME.test(key)) continue;
          expect(key, `${file} ${name}`).toMatch(/_FILE$/);
          const secret = String(value).replace("/run/secrets/", "");
          expect(svc.secrets, `${file} ${name} mounts ${secret}`).toContain(secret);
        }
      }
      for (const [name, secret] of Object.entries((doc.secrets ?? {}) as Record<string, Yaml>)) {
        expect(secret.file, `${file} secret ${name}`).toMatch(/^\.\/(secrets|\.dev-certs)\//);
      }
    }
  });

  it("runs the end-to-end suite in the test override against the gateway", () => {
    const e2e = readYaml("docker-compose.test.yml").services.e2e;
    expect(e2e.command.join(" ")).toContain("scripts/e2e-compose.ts");
    expect(e2e.environment.GATEWAY_URL).toBe("http://api-gateway:8080");
    expect(e2e.depends_on["api-gateway"].condition).toBe("service_healthy");
  });
});
