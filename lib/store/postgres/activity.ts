// The security log as read back: a person's or an org's recent events, with the names they refer to.
import { desc, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { ActivityRow } from '../types';
import { asEventType } from '../model';
import type { Pg } from './connection';
import { orgs, securityEvents, users } from './schema';

const subject = alias(users, 'subject');
const actor = alias(users, 'actor');

/** Newest first (by time, then id), at most `limit`; events of an unknown type are left out. */
export async function listActivity(pg: Pg, filter: { userId: string } | { orgId: string }, limit: number): Promise<ActivityRow[]> {
  const where = 'userId' in filter ? eq(securityEvents.userId, filter.userId) : eq(securityEvents.orgId, filter.orgId);
  const rows = await pg.db
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
    .limit(limit);
  return rows.flatMap((row) => {
    const type = asEventType(row.type);
    return type ? [{ ...row, type }] : [];
  });
}
