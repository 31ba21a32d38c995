// Public API of @authflow/auth-client. The Fastify plugin and the test issuer are subpath
// exports ("@authflow/auth-client/fastify", "@authflow/auth-client/testing") so that importing
// the verifier pulls in neither Fastify nor node:http servers.
export { authorizationValues, extractBearerToken } from "./bearer.js";
export {
  type AuthErrorResponse,
  type AuthErrorResponseOptions,
  type AuthProblem,
  authErrorResponse,
} from "./challenge.js";
export { type AccessTokenClaims, normalizeClaims } from "./claims.js";
export {
  AuthClientError,
  type AuthClientErrorOptions,
  type AuthErrorCode,
  type AuthErrorStatus,
  isAuthClientError,
} from "./errors.js";
export { type IdTokenHint, type IdTokenHintOptions, verifyIdTokenHint } from "./id-token-hint.js";
export { createRemoteKeySet, type RemoteKeySet, type RemoteKeySetOptions } from "./jwks.js";
export { assertRoles } from "./roles.js";
export { assertScopes } from "./scopes.js";
export {
  createVerifier,
  DEFAULT_CLOCK_TOLERANCE,
  MAX_TOKEN_LENGTH,
  SUPPORTED_ALGORITHMS,
  type Verifier,
  type VerifierAlgorithm,
  type VerifierOptions,
} from "./verify.js";
