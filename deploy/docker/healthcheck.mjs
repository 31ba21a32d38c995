// Container HEALTHCHECK: the slim image has no curl, so node asks the service's own /healthz.
// The gateway speaks HTTPS when it is given a certificate; liveness is about this process, not
// about the certificate chain, so the local probe does not verify it.
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

const tls = Boolean(process.env.TLS_CERT_FILE || process.env.TLS_CERT_FILE_FILE);
const request = tls ? httpsRequest : httpRequest;
const req = request(
  {
    host: "127.0.0.1",
    port: Number(process.env.PORT),
    path: "/healthz",
    timeout: 2_000,
    rejectUnauthorized: false,
  },
  (res) => {
    res.resume();
    process.exit(res.statusCode === 200 ? 0 : 1);
  },
);
req.on("timeout", () => req.destroy(new Error("timeout")));
req.on("error", () => process.exit(1));
req.end();
