import type { Db } from '../db';
import { securityEvents, type SecurityEventType } from '../db/schema';
import { iso } from '../ids';

export type SecurityEventInput = {
  type: SecurityEventType;
  userId?: string | null;
  orgId?: string | null;
  sessionId?: string | null;
  actorUserId?: string | null;
  detail?: string | null;
};

/** Appends to the security log. Callers pass ids and labels only: never IPs, UAs or tokens. */
export function recordSecurityEvent(db: Db, event: SecurityEventInput, now: Date): void {
  db.insert(securityEvents)
    .values({
      type: event.type,
      userId: event.userId ?? null,
      orgId: event.orgId ?? null,
      sessionId: event.sessionId ?? null,
      actorUserId: event.actorUserId ?? null,
      detail: event.detail ?? null,
      createdAt: iso(now),
    })
    .run();
}
