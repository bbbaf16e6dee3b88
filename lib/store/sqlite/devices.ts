// A person's own devices: the live and recently ended sessions the security page lists, and renaming one.
import { desc, eq, sql } from 'drizzle-orm';
import { iso } from '../../ids';
import { deviceColumns, sessionEndedAt } from '../devices';
import type { AlertSession, DeviceRows } from '../types';
import { every, liveAt } from './access';
import { recordEvents } from './activity';
import type { Connection, Db } from './connection';
import { withWriteLock } from './lock';
import { sessions } from './schema';

const columns = deviceColumns(sessions);
const endedAt = sessionEndedAt(sessions);

/**
 * `userId`'s live sessions (not revoked, not past their absolute end), most recently active first,
 * and at most `endedLimit` of those that ended between `endedSince` and now, newest first.
 */
export function listDevices(db: Db, userId: string, now: Date, endedSince: Date, endedLimit: number): DeviceRows {
  const nowIso = iso(now);
  const live = db
    .select(columns)
    .from(sessions)
    .where(every(eq(sessions.userId, userId), liveAt(now)))
    .orderBy(desc(sessions.lastSeenAt), desc(sessions.createdAt), sessions.id)
    .all();
  const ended = db
    .select(columns)
    .from(sessions)
    .where(
      every(
        eq(sessions.userId, userId),
        sql`(${sessions.revokedAt} IS NOT NULL OR ${sessions.refreshExpiresAt} <= ${nowIso})`,
        sql`${endedAt} >= ${iso(endedSince)}`,
        sql`${endedAt} <= ${nowIso}`,
      ),
    )
    .orderBy(desc(endedAt), sessions.id)
    .limit(endedLimit)
    .all();
  return { live, ended };
}

/**
 * Renames one of the actor's live devices; false when nothing of theirs matched. The event keeps
 * the old name beside the new one ("Renamed Safari on iOS to Anna's phone"), read under the lock.
 */
export function renameDevice({ sqlite, db }: Connection, actor: { userId: string; orgId: string }, sessionId: string, label: string, now: Date): Promise<boolean> {
  return withWriteLock(sqlite, () => {
    const mine = every(eq(sessions.id, sessionId), eq(sessions.userId, actor.userId), liveAt(now));
    const before = db.select({ label: sessions.deviceLabel }).from(sessions).where(mine).get();
    if (!before) return false;
    db.update(sessions).set({ deviceLabel: label }).where(mine).run();
    const event = { type: 'device_renamed', userId: actor.userId, orgId: actor.orgId, sessionId, actorUserId: actor.userId, detail: label, deviceLabel: before.label } as const;
    recordEvents(db, [event], now);
    return true;
  });
}

/** The live session whose "Not you?" token hashes to `tokenHash`, as its page describes it. */
export function findAlertSession(db: Db, tokenHash: string, now: Date): AlertSession | null {
  const row = db
    .select({ label: sessions.deviceLabel, deviceType: sessions.deviceType, signedInAt: sessions.createdAt })
    .from(sessions)
    .where(every(eq(sessions.alertTokenHash, tokenHash), liveAt(now)))
    .get();
  return row ?? null;
}
