import type { FastifyInstance } from "fastify";

/**
 * Listens, then closes gracefully on SIGTERM / SIGINT: Fastify stops accepting connections and
 * waits for in-flight requests; `onClose` hooks release pools. A second signal, or a close
 * that takes longer than `graceMs`, exits at once.
 */
export async function listenWithGracefulShutdown(
  app: FastifyInstance,
  opts: { host: string; port: number; graceMs?: number },
): Promise<void> {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) process.exit(1);
    closing = true;
    app.log.info({ signal }, "shutting down");
    const timer = setTimeout(() => {
      app.log.error("graceful shutdown timed out");
      process.exit(1);
    }, opts.graceMs ?? 10_000);
    timer.unref();
    app.close().then(
      () => process.exit(0),
      (err) => {
        app.log.error({ err }, "error during shutdown");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
  await app.listen({ host: opts.host, port: opts.port });
}

/** Runs `main`, printing one line (no stack) and exiting 1 if start-up fails. */
export function runMain(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`fatal: start-up failed: ${message}\n`);
    process.exit(1);
  });
}
