// The security log: appending a use case's events and reading a person's or an org's back.
import { desc, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { eventRows, type SecurityEvent } from '../events';
import type { ActivityRow } from '../types';
import type { Db } from './connection';
import { orgs, securityEvents, users } from './schema';

/** Appends events to the security log; call inside the write transaction of the change they record. */
export function recordEvents(db: Db, events: SecurityEvent[], now: Date): void {
  if (events.length === 0) return;
  db.insert(securityEvents).values(eventRows(events, now)).run();
}

const subject = alias(users, 'subject');
const actor = alias(users, 'actor');

/** A person's (`userId`) or an org's (`orgId`) recent security events, newest first. */
export function listActivity(db: Db, filter: { userId: string } | { orgId: string }, limit: number): ActivityRow[] {
  const where = 'userId' in filter ? eq(securityEvents.userId, filter.userId) : eq(securityEvents.orgId, filter.orgId);
  return db
    .select({
      id: securityEvents.id,
      type: securityEvents.type,
      at: securityEvents.createdAt,
      detail: securityEvents.detail,
      userId: securityEvents.userId,
      actorUserId: securityEvents.actorUserId,
      userEmail: subject.email,
      actorEmail: actor.email,
      orgName: orgs.name,
      // The label kept with the event, never the session's label of today: history is not rewritten.
      deviceLabel: securityEvents.deviceLabel,
    })
    .from(securityEvents)
    .leftJoin(subject, eq(subject.id, securityEvents.userId))
    .leftJoin(actor, eq(actor.id, securityEvents.actorUserId))
    .leftJoin(orgs, eq(orgs.id, securityEvents.orgId))
    .where(where)
    .orderBy(desc(securityEvents.createdAt), desc(securityEvents.id))
    .limit(limit)
    .all();
}
