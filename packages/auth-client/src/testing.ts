import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type CryptoKey,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  type JSONWebKeySet,
  type JWK,
  type JWTHeaderParameters,
  SignJWT,
} from "jose";

/** Asymmetric algorithms the test issuer can sign with. */
export type TestIssuerAlgorithm = "ES256" | "ES384" | "RS256" | "PS256" | "EdDSA";

/** How the test JWKS endpoint misbehaves: `"503"` answers 503, `"hang"` never answers. */
export type TestIssuerFailureMode = "none" | "503" | "hang";

/** Options of {@link createTestIssuer}. */
export interface TestIssuerOptions {
  /** Value of `iss` in signed tokens (exactly as given). */
  issuer: string;
  /** Value of `aud` in signed tokens. */
  audience: string;
  /** Signing algorithm. Default `"ES256"`. */
  alg?: TestIssuerAlgorithm;
}

/** A throwaway token issuer with a real JWKS endpoint, for tests. */
export interface TestIssuer {
  readonly issuer: string;
  readonly audience: string;
  readonly alg: TestIssuerAlgorithm;
  /** `http://127.0.0.1:<port>/.well-known/jwks.json`. */
  readonly jwksUrl: string;
  /** `kid` of the current signing key. */
  readonly kid: string;
  /** Number of requests the JWKS endpoint has received (including failed ones). */
  readonly fetchCount: number;
  /** The public JWKS currently served (every key ever generated, newest first). */
  jwks(): JSONWebKeySet;
  /** The current public key as SPKI PEM text (for algorithm-confusion tests). */
  publicKeyPem(): Promise<string>;
  /**
   * Signs an RFC 9068 access token. `claims` and `header` are merged over the defaults; a value
   * of `undefined` removes that member (e.g. `{ exp: undefined }` gives a token without `exp`).
   */
  sign(claims?: Record<string, unknown>, header?: Record<string, unknown>): Promise<string>;
  /** Generates a new signing key; the old one stays in the JWKS. Returns the new `kid`. */
  rotate(): Promise<string>;
  /** Makes the JWKS endpoint fail (or recover with `"none"`). */
  setFailure(mode: TestIssuerFailureMode): void;
  /** Stops the JWKS server, dropping any hanging request. */
  close(): Promise<void>;
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
}

const omitUndefined = (value: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));

async function newKey(alg: TestIssuerAlgorithm): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
  return { kid, privateKey, publicKey, jwk };
}

function listen(server: Server): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server.address() as AddressInfo));
  });
}

/**
 * Starts a test issuer: fresh key pair per run, a real `node:http` JWKS server on 127.0.0.1
 * (port 0), and a `sign()` that produces valid ES256 `at+jwt` access tokens (RFC 9068) with
 * `iss, sub, aud, exp (now+900), iat, jti, client_id, scope, roles, sid`.
 *
 * @example
 * ```ts
 * import { createTestIssuer } from "@authflow/auth-client/testing";
 *
 * const issuer = await createTestIssuer({ issuer: "http://localhost:8080", audience: "authflow-api" });
 * const verifier = createVerifier({ issuer: issuer.issuer, audience: issuer.audience, jwksUrl: issuer.jwksUrl });
 * const token = await issuer.sign({ sub: "user-1", scope: "notes:read" });
 * await verifier.verify(token);
 * await issuer.close();
 * ```
 */
export async function createTestIssuer(options: TestIssuerOptions): Promise<TestIssuer> {
  if (typeof options?.issuer !== "string" || options.issuer === "") {
    throw new TypeError('createTestIssuer: "issuer" must be a non-empty string');
  }
  if (typeof options.audience !== "string" || options.audience === "") {
    throw new TypeError('createTestIssuer: "audience" must be a non-empty string');
  }
  const alg = options.alg ?? "ES256";
  const keys: SigningKey[] = [await newKey(alg)];
  let failure: TestIssuerFailureMode = "none";
  let fetchCount = 0;

  const jwks = (): JSONWebKeySet => ({ keys: keys.map((k) => ({ ...k.jwk })) });
  const current = (): SigningKey => keys[0] as SigningKey;

  const server = createServer((req, res) => {
    if (req.method !== "GET" || req.url !== "/.well-known/jwks.json") {
      res.writeHead(404).end();
      return;
    }
    fetchCount += 1;
    if (failure === "hang") return; // never answer: the client's timeout must fire
    if (failure === "503") {
      res.writeHead(503, { "content-type": "text/plain" }).end("unavailable");
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(jwks()));
  });
  const { port } = await listen(server);
  let closing: Promise<void> | undefined;

  return {
    issuer: options.issuer,
    audience: options.audience,
    alg,
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    get kid() {
      return current().kid;
    },
    get fetchCount() {
      return fetchCount;
    },
    jwks,
    publicKeyPem: () => exportSPKI(current().publicKey),
    async sign(claims = {}, header = {}) {
      const now = Math.floor(Date.now() / 1000);
      const key = current();
      const payload = omitUndefined({
        iss: options.issuer,
        sub: "user-1",
        aud: options.audience,
        exp: now + 900,
        iat: now,
        jti: randomUUID(),
        client_id: "authflow-app",
        scope: "notes:read notes:write",
        roles: ["user"],
        sid: randomUUID(),
        ...claims,
      });
      const protectedHeader = omitUndefined({ alg, kid: key.kid, typ: "at+jwt", ...header });
      return new SignJWT(payload)
        .setProtectedHeader(protectedHeader as JWTHeaderParameters)
        .sign(key.privateKey);
    },
    async rotate() {
      keys.unshift(await newKey(alg));
      return current().kid;
    },
    setFailure(mode) {
      failure = mode;
    },
    close() {
      // Idempotent, and drops hanging requests so tests never wait for them.
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
