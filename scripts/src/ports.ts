import { createServer } from "node:net";

/** Parses a port from the environment, or names the variable in one clear line. */
export function portFrom(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${name} must be a port number (1-65535), got "${value}"`);
  }
  return port;
}

/** Resolves when `port` can be bound on 127.0.0.1; rejects naming who is in the way. */
export function assertPortFree(name: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", () =>
      reject(
        new Error(`port ${port} (${name}) is already in use: is another 'pnpm start' running?`),
      ),
    );
    server.listen(port, "127.0.0.1", () => server.close(() => resolve()));
  });
}
