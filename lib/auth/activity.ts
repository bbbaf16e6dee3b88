import { desc, eq, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db';
import { orgs, securityEvents, sessions, users, type SecurityEventType } from '../db/schema';

/**
 * The security log in words: a person's own recent activity, and an org's for its admins. The
 * log holds ids, types and labels only (no IPs, no user agents, no tokens), and so do these lines.
 */

export type ActivityEntry = { id: number; type: SecurityEventType; at: string; text: string };
export type ActivityViewpoint = 'user' | 'org';

export type ActivityRow = {
  id: number;
  type: SecurityEventType;
  at: string;
  detail: string | null;
  userId: string | null;
  actorUserId: string | null;
  userEmail: string | null;
  actorEmail: string | null;
  orgName: string | null;
  sessionLabel: string | null;
};

export const ACTIVITY_LIMIT = 20;

const subject = alias(users, 'subject');
const actor = alias(users, 'actor');

function selectEvents(db: Db, where: SQL | undefined, limit: number): ActivityRow[] {
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
      sessionLabel: sessions.deviceLabel,
    })
    .from(securityEvents)
    .leftJoin(subject, eq(subject.id, securityEvents.userId))
    .leftJoin(actor, eq(actor.id, securityEvents.actorUserId))
    .leftJoin(orgs, eq(orgs.id, securityEvents.orgId))
    .leftJoin(sessions, eq(sessions.id, securityEvents.sessionId))
    .where(where)
    .orderBy(desc(securityEvents.createdAt), desc(securityEvents.id))
    .limit(limit)
    .all();
}

/** `userId`'s own recent security events, newest first, in words addressed to them. */
export function listUserActivity(db: Db, userId: string, limit = ACTIVITY_LIMIT): ActivityEntry[] {
  return selectEvents(db, eq(securityEvents.userId, userId), limit).map((row) => toEntry(row, 'user'));
}

/** Recent security events recorded in `orgId`, newest first, naming the people involved. */
export function listOrgActivity(db: Db, orgId: string, limit = ACTIVITY_LIMIT): ActivityEntry[] {
  return selectEvents(db, eq(securityEvents.orgId, orgId), limit).map((row) => toEntry(row, 'org'));
}

function toEntry(row: ActivityRow, viewpoint: ActivityViewpoint): ActivityEntry {
  return { id: row.id, type: row.type, at: row.at, text: describeEvent(row, viewpoint) };
}

// Events whose detail is the device label at the time (key_retired keeps the key version there).
const LABEL_IN_DETAIL = new Set<SecurityEventType>(['sign_in', 'sign_out', 'session_revoked', 'admin_revoked']);

/** One event as a sentence, for the person it happened to or for their org's admins. */
export function describeEvent(row: ActivityRow, viewpoint: ActivityViewpoint): string {
  const device = row.sessionLabel ?? (LABEL_IN_DETAIL.has(row.type) ? row.detail : null) ?? 'a device';
  const org = row.orgName ?? 'an organisation';
  const self = row.actorUserId !== null && row.actorUserId === row.userId;
  if (viewpoint === 'user') {
    switch (row.type) {
      case 'sign_in': return `Signed in on ${device}`;
      case 'sign_out': return `Signed out on ${device}`;
      case 'session_revoked': return `Signed out ${device} from another device`;
      case 'other_sessions_revoked': return 'Signed out all other devices';
      case 'device_renamed': return row.detail ? `Renamed a device to ${row.detail}` : 'Renamed a device';
      case 'admin_revoked': return `An admin of ${org} ended your session on ${device}`;
      case 'refresh_reuse_detected': return `Your session on ${device} was ended: an old sign-in token was used again`;
      case 'key_retired': return `Your session on ${device} ended when a signing key was retired`;
      case 'member_added': return `You were added to ${org}${row.detail ? ` as ${row.detail}` : ''}`;
      case 'member_removed': return self ? `You left ${org}` : `You were removed from ${org}`;
      case 'org_switched': return `Switched ${device} to ${org}`;
    }
  }
  const who = row.userEmail ?? 'Someone';
  const by = row.actorEmail ?? 'An admin';
  switch (row.type) {
    case 'sign_in': return `${who} signed in on ${device}`;
    case 'sign_out': return `${who} signed out on ${device}`;
    case 'session_revoked': return `${who} signed out ${device} from another device`;
    case 'other_sessions_revoked': return `${who} signed out all their other devices`;
    case 'device_renamed': return `${who} renamed a device`;
    case 'admin_revoked': return `${by} ended ${who}'s session on ${device}`;
    case 'refresh_reuse_detected': return `${who}'s session on ${device} was ended: an old sign-in token was used again`;
    case 'key_retired': return `${who}'s session on ${device} ended when ${row.detail ? `signing key ${row.detail}` : 'a signing key'} was retired`;
    case 'member_added': return `${by} added ${who}${row.detail ? ` as ${row.detail}` : ''}`;
    case 'member_removed': return self ? `${who} left` : `${by} removed ${who}`;
    case 'org_switched': return `${who} switched a session to this organisation`;
  }
}
