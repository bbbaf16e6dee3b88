// The security log as read back: a person's or an org's recent events, with the names they refer to.
import { alias } from 'drizzle-orm/pg-core';
import { activityColumns, activityJoins, activityOf, newestFirst } from '../activity';
import type { ActivityRow } from '../types';
import { asEventType } from '../model';
import type { Pg } from './connection';
import { orgs, securityEvents, users } from './schema';

const tables = { securityEvents, subject: alias(users, 'subject'), actor: alias(users, 'actor'), orgs };
const on = activityJoins(tables);

/** Newest first (by time, then id), at most `limit`; events of an unknown type are left out. */
export async function listActivity(pg: Pg, filter: { userId: string } | { orgId: string }, limit: number): Promise<ActivityRow[]> {
  const rows = await pg.db
    .select(activityColumns(tables))
    .from(securityEvents)
    .leftJoin(tables.subject, on.subject)
    .leftJoin(tables.actor, on.actor)
    .leftJoin(orgs, on.org)
    .where(activityOf(tables, filter))
    .orderBy(...newestFirst(tables))
    .limit(limit);
  return rows.flatMap((row) => {
    const type = asEventType(row.type);
    return type ? [{ ...row, type }] : [];
  });
}
