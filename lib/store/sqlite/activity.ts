// The security log: appending a use case's events and reading a person's or an org's back.
import { alias } from 'drizzle-orm/sqlite-core';
import { activityColumns, activityJoins, activityOf, newestFirst } from '../activity';
import { eventRows, type SecurityEvent } from '../events';
import type { ActivityRow } from '../types';
import type { Db } from './connection';
import { orgs, securityEvents, users } from './schema';

/** Appends events to the security log; call inside the write transaction of the change they record. */
export function recordEvents(db: Db, events: SecurityEvent[], now: Date): void {
  if (events.length === 0) return;
  db.insert(securityEvents).values(eventRows(events, now)).run();
}

const tables = { securityEvents, subject: alias(users, 'subject'), actor: alias(users, 'actor'), orgs };
const on = activityJoins(tables);

/** A person's (`userId`) or an org's (`orgId`) recent security events, newest first. */
export function listActivity(db: Db, filter: { userId: string } | { orgId: string }, limit: number): ActivityRow[] {
  return db
    .select(activityColumns(tables))
    .from(securityEvents)
    .leftJoin(tables.subject, on.subject)
    .leftJoin(tables.actor, on.actor)
    .leftJoin(orgs, on.org)
    .where(activityOf(tables, filter))
    .orderBy(...newestFirst(tables))
    .limit(limit)
    .all();
}
