import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import {
  inlineCredentials,
  missingRequiredVars,
  read,
  readYaml,
  readYamlDocs,
  SECRET_NAME,
  SERVICES,
  unknownVars,
  type Yaml,
} from "./repo.js";

const BASE = "deploy/k8s/base";
const kustomization = readYaml(`${BASE}/kustomization.yaml`);
const docs: Yaml[] = (kustomization.resources as string[]).flatMap((f) =>
  readYamlDocs(`${BASE}/${f}`),
);
const ofKind = (kind: string) => docs.filter((d) => d.kind === kind);
const named = (kind: string, name: string) => ofKind(kind).find((d) => d.metadata.name === name);

function hasKubectl(): boolean {
  try {
    execFileSync("kubectl", ["version", "--client"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("Kustomize base (deploy/k8s/base)", () => {
  it.skipIf(!hasKubectl())("renders with kubectl kustomize", () => {
    const out = execFileSync("kubectl", ["kustomize", BASE], { encoding: "utf8" });
    expect(out).toContain("kind: NetworkPolicy");
  });

  it("ships the gateway's route table unchanged, pinned image tags, no inline secrets", () => {
    expect(read(`${BASE}/routes.json`)).toBe(read("services/api-gateway/routes.json"));
    for (const image of kustomization.images) expect(image.newTag).toMatch(/^\d+\.\d+\.\d+$/);
    for (const file of [...kustomization.resources, "secrets.template.yaml"]) {
      expect(inlineCredentials(read(`${BASE}/${file}`)), file).toEqual([]);
    }
    for (const secret of readYamlDocs(`${BASE}/secrets.template.yaml`)) {
      for (const value of Object.values(secret.stringData)) expect(value).toBe("");
    }
  });

  describe.each(SERVICES)("$name", (service) => {
    const deployment = named("Deployment", service.name);
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    const env: Yaml[] = container.env;

    it("probes /readyz for readiness and /healthz for liveness on the service port", () => {
      expect(container.readinessProbe.httpGet.path).toBe("/readyz");
      expect(container.livenessProbe.httpGet.path).toBe("/healthz");
      expect(container.ports[0].containerPort).toBe(service.port);
      expect(named("Service", service.name).spec.ports[0].port).toBe(service.port);
    });

    it("has resource requests and limits, and a PodDisruptionBudget", () => {
      for (const kind of ["requests", "limits"]) {
        expect(Object.keys(container.resources[kind]).sort()).toEqual(["cpu", "memory"]);
      }
      expect(named("PodDisruptionBudget", service.name).spec.minAvailable).toBe(1);
    });

    it("runs non-root, read-only, without capabilities, under RuntimeDefault seccomp", () => {
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: "RuntimeDefault" },
      });
      expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(container.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
      });
    });

    it("sets only variables the service reads, every required one, secrets from files", () => {
      const names = env.map((e) => e.name as string);
      expect(unknownVars(service, names)).toEqual([]);
      expect(missingRequiredVars(service, names)).toEqual([]);
      for (const e of env.filter((e) => SECRET_NAME.test(e.name))) {
        const fromFile = /_FILE$/.test(e.name) && e.value.startsWith("/run/secrets/");
        expect(fromFile || e.valueFrom?.secretKeyRef !== undefined, e.name).toBe(true);
      }
    });
  });

  it("autoscales the gateway and auth", () => {
    const targets = ofKind("HorizontalPodAutoscaler").map((h) => h.spec.scaleTargetRef.name);
    expect(targets.sort()).toEqual(["api-gateway", "auth"]);
  });

  it("denies all traffic by default and admits from outside only to the gateway", () => {
    const policies = ofKind("NetworkPolicy");
    const deny = named("NetworkPolicy", "authflow-default-deny");
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    const open = policies.filter((p) => (p.spec.ingress ?? []).some((r: Yaml) => !r.from));
    expect(open.map((p) => p.metadata.name)).toEqual(["api-gateway"]);
    // notes may call auth, and nothing but the gateway may call notes.
    const notesIngress = named("NetworkPolicy", "sample-service").spec.ingress;
    expect(notesIngress[0].from).toEqual([
      { podSelector: { matchLabels: { "authflow/role": "gateway" } } },
    ]);
  });
});
