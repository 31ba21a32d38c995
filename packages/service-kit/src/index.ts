export { ConfigError, loadConfig, loadConfigOrExit } from "./config.js";
export * as fields from "./config-fields.js";
export { fastifyLogging, loggerOptions, requestIdFor } from "./logger.js";
export { type ObservabilityOptions, registerObservability } from "./observability.js";
export {
  createPool,
  ensureDatabase,
  type Migration,
  migrate,
  type Pool,
  withLockedTransaction,
} from "./postgres.js";
export { ProblemError, parseOrThrow, registerProblemHandlers, sendProblem } from "./problem.js";
export {
  createRedis,
  DependencyUnavailableError,
  parseRedisUrl,
  type RedisTarget,
  waitForRedis,
} from "./redis.js";
export {
  RevocationChecker,
  type RevocationCheckerOptions,
  type RevocationKind,
  type RevocationMessage,
  revocationChannel,
  revocationKey,
} from "./revocations.js";
export { listenWithGracefulShutdown, runMain } from "./server.js";
