import { existsSync } from "node:fs";
import { request } from "node:http";
import { connect } from "node:net";
import { homedir } from "node:os";
import { join } from "node:path";

/** Where a Docker Engine API may listen: a unix socket or a TCP address. */
export type DockerEndpoint = { socketPath: string } | { host: string; port: number; tls: boolean };

/**
 * The endpoints worth asking, in testcontainers' order: DOCKER_HOST when set (only that), else
 * the usual sockets (system, rootless, Docker Desktop) that exist. A `docker` CLI on the PATH
 * proves nothing about an engine, so it is never consulted.
 */
export function dockerEndpoints(env: NodeJS.ProcessEnv = process.env): DockerEndpoint[] {
  const host = env.DOCKER_HOST;
  if (host) {
    if (host.startsWith("unix://")) return [{ socketPath: host.slice("unix://".length) }];
    const tcp = /^tcp:\/\/([^:/]+):(\d+)/.exec(host);
    if (tcp?.[1] && tcp[2]) {
      const tls = env.DOCKER_TLS_VERIFY !== undefined && env.DOCKER_TLS_VERIFY !== "";
      return [{ host: tcp[1], port: Number(tcp[2]), tls }];
    }
    return [];
  }
  const sockets = [
    "/var/run/docker.sock",
    env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, "docker.sock") : "",
    join(homedir(), ".docker", "run", "docker.sock"),
  ];
  return sockets.filter((p) => p !== "" && existsSync(p)).map((socketPath) => ({ socketPath }));
}

/**
 * True when the engine answers `GET /_ping` with 200 (Docker Engine API). Behind TLS the
 * handshake needs client certificates that testcontainers loads itself, so there an open TCP
 * connection is the answer.
 */
export function pingDocker(endpoint: DockerEndpoint, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    if ("tls" in endpoint && endpoint.tls) {
      const socket = connect({ host: endpoint.host, port: endpoint.port, timeout: timeoutMs });
      const done = (answer: boolean) => {
        socket.destroy();
        resolve(answer);
      };
      socket.once("connect", () => done(true));
      socket.once("timeout", () => done(false));
      socket.once("error", () => done(false));
      return;
    }
    const target =
      "socketPath" in endpoint
        ? { socketPath: endpoint.socketPath }
        : { host: endpoint.host, port: endpoint.port };
    const req = request({ ...target, path: "/_ping", timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.once("timeout", () => req.destroy());
    req.once("error", () => resolve(false));
    req.end();
  });
}

/** Whether some Docker engine answers, given the environment. */
export async function dockerEngineAnswers(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  for (const endpoint of dockerEndpoints(env)) {
    if (await pingDocker(endpoint)) return true;
  }
  return false;
}
