import type { Pool } from "@authflow/service-kit";
import type { FastifyBaseLogger } from "fastify";

export type AuditEvent =
  | "user.registered"
  | "user.login"
  | "token.issued"
  | "token.refreshed"
  | "token.revoked"
  | "token.reuse_detected"
  | "session.logout";

/** What a caller says; the request adds where it came from. */
export type AuditRecord = Omit<AuditEntry, "ip" | "requestId">;

export interface AuditEntry {
  event: AuditEvent;
  outcome: "success" | "failure";
  userId?: string | undefined;
  clientId?: string | undefined;
  ip?: string | undefined;
  requestId?: string | undefined;
  /** Reason codes and ids only: never a password, token or secret. */
  detail?: Record<string, string | number | boolean>;
}

/**
 * Security events go to Postgres (queryable history) and to the log as one JSON line each.
 * A failed audit insert is logged, not thrown: the user's request has already been decided.
 */
export class AuditLog {
  constructor(
    private readonly pool: Pool,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Records `entry` with the client address and request id of `request`. */
  async record(request: { ip: string; id: string }, record: AuditRecord): Promise<void> {
    const entry: AuditEntry = { ...record, ip: request.ip, requestId: request.id };
    this.log.info({ audit: entry }, `audit ${entry.event} ${entry.outcome}`);
    try {
      await this.pool.query(
        `INSERT INTO audit_events (event, outcome, user_id, client_id, ip, request_id, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          entry.event,
          entry.outcome,
          entry.userId ?? null,
          entry.clientId ?? null,
          entry.ip ?? null,
          entry.requestId ?? null,
          JSON.stringify(entry.detail ?? {}),
        ],
      );
    } catch (err) {
      this.log.error({ err, event: entry.event }, "audit insert failed");
    }
  }
}
