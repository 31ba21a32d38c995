import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export type ServiceName = "auth" | "notes" | "gateway";

const DIRS: Record<ServiceName, string> = {
  auth: "services/auth",
  notes: "services/sample-service",
  gateway: "services/api-gateway",
};

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface StackOptions {
  /** Environment of each service (merged over the parent's). Must include PORT. */
  env: Record<ServiceName, Record<string, string>>;
  /** Receives every line a service prints. */
  onLine: (service: ServiceName, line: string) => void;
  /** How long each service may take to answer /healthz. */
  startTimeoutMs?: number;
}

export interface Stack {
  stop(): Promise<void>;
  /** Resolves with the name of the first service that exits on its own. */
  exited: Promise<ServiceName>;
}

/**
 * Starts the three services as real processes from their TypeScript sources: auth first (the
 * others fetch its JWKS), then notes and the gateway, each awaited on /healthz.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const children = new Map<ServiceName, ChildProcess>();
  let stopping = false;
  let reportExit: (name: ServiceName) => void = () => {};
  const exited = new Promise<ServiceName>((resolve) => {
    reportExit = resolve;
  });

  const launch = async (name: ServiceName) => {
    const child = spawn(
      process.execPath,
      ["--conditions=source", "--import", "tsx", "src/server.ts"],
      {
        cwd: `${ROOT}${DIRS[name]}`,
        env: { ...process.env, ...options.env[name] },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    children.set(name, child);
    const lastLines: string[] = [];
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on("line", (line) => {
        lastLines.push(line);
        if (lastLines.length > 5) lastLines.shift();
        options.onLine(name, line);
      });
    }
    child.once("exit", () => {
      if (!stopping) reportExit(name);
    });
    const port = options.env[name].PORT;
    await waitHealthy(
      name,
      `http://127.0.0.1:${port}/healthz`,
      child,
      options.startTimeoutMs ?? 30_000,
      lastLines,
    );
  };

  const stop = async () => {
    stopping = true;
    await Promise.all([...children.values()].map(terminate));
  };

  try {
    await launch("auth");
    await Promise.all([launch("notes"), launch("gateway")]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { stop, exited };
}

async function waitHealthy(
  name: ServiceName,
  url: string,
  child: ChildProcess,
  timeoutMs: number,
  lastLines: string[],
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`${name} exited with status ${child.exitCode}: ${lastLines.join(" | ")}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} did not answer ${url} within ${timeoutMs} ms`);
}

function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
