import { z } from "zod";

/**
 * The routes file (ROUTES_FILE). Upstreams are named URLs, `${VAR}` interpolated from the
 * environment; routes map a path prefix to an upstream under a policy. See README.md.
 */

// One or more "/segment"s of RFC 3986 pchar without "%" (prefixes are compared with the
// normalized request path, which keeps only non-unreserved chars percent-encoded).
const SEGMENTS = /^(\/[A-Za-z0-9._~!$&'()*+,;=:@-]+)+$/;
const hasDotSegment = (p: string) => p.split("/").some((s) => s === "." || s === "..");

/** Paths the gateway answers itself (service-kit observability); never routed. */
export const RESERVED_PATHS = ["/healthz", "/readyz", "/metrics"];

const prefix = z
  .string()
  .regex(SEGMENTS, 'must start with "/", have no trailing slash, empty or encoded segments')
  .refine((p) => !hasDotSegment(p), "must not contain . or .. segments")
  .refine((p) => !RESERVED_PATHS.includes(p), "is reserved for the gateway's own endpoints");

const rewrite = z.union([z.literal("/"), prefix]);

const scopeList = z.array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, "invalid scope token"));

/**
 * Scopes a route requires: one list for every method, or `read` (safe methods GET, HEAD,
 * OPTIONS, RFC 9110 §9.2.1) and `write` (every other method). All listed scopes are required.
 */
const scopes = z.union([
  scopeList,
  z.strictObject({ read: scopeList.default([]), write: scopeList.default([]) }),
]);

export const policySchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("public") }),
  z.strictObject({
    type: z.literal("authenticated"),
    scopes: scopes.optional(),
    /** The token must carry every one of these roles (as auth-client's `assertRoles`). */
    roles: z.array(z.string().min(1)).optional(),
  }),
]);

export const routeSchema = z.strictObject({
  prefix,
  upstream: z.string().min(1),
  /** Replaces the matched prefix in the forwarded path (e.g. /api/notes → /notes). */
  rewrite: rewrite.optional(),
  policy: policySchema,
});

export const routesFileSchema = z
  .strictObject({
    upstreams: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/), z.string()),
    routes: z.array(routeSchema).min(1),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.routes.forEach((route, i) => {
      if (seen.has(route.prefix)) {
        ctx.addIssue({
          code: "custom",
          path: ["routes", i, "prefix"],
          message: `duplicate prefix ${route.prefix}`,
        });
      }
      seen.add(route.prefix);
      if (!Object.hasOwn(file.upstreams, route.upstream)) {
        ctx.addIssue({
          code: "custom",
          path: ["routes", i, "upstream"],
          message: `unknown upstream "${route.upstream}"`,
        });
      }
    });
  });

export type RoutesFile = z.infer<typeof routesFileSchema>;
