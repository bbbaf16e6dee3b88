// A person's devices: their live and recently ended sessions, and renaming one.
import { and, asc, desc, eq, gt, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import { iso } from '../../ids';
import { deviceColumns, sessionEndedAt } from '../devices';
import type { AlertSession, DeviceRow, DeviceRows } from '../types';
import { asDeviceType, asRevokeReason } from '../model';
import type { Pg } from './connection';
import { bytewise, recordEvents } from './rows';
import { sessions } from './schema';
import { inTransaction } from './tx';

const columns = deviceColumns(sessions);

type Row = Omit<DeviceRow, 'deviceType' | 'revokedReason'> & { deviceType: string | null; revokedReason: string | null };

function toDeviceRow(row: Row): DeviceRow {
  return { ...row, deviceType: asDeviceType(row.deviceType), revokedReason: asRevokeReason(row.revokedReason) };
}

/**
 * `userId`'s live sessions (not revoked, before their absolute end), most recently active first,
 * and those that ended between `endedSince` and now, newest first, at most `endedLimit`. A session
 * ended when it was revoked, or else when it reached its absolute end.
 */
export async function listDevices(pg: Pg, userId: string, now: Date, endedSince: Date, endedLimit: number): Promise<DeviceRows> {
  const nowIso = iso(now);
  const endedAt = sessionEndedAt(sessions);
  const [live, ended] = await Promise.all([
    pg.db
      .select(columns)
      .from(sessions)
      .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.refreshExpiresAt, nowIso)))
      .orderBy(desc(sessions.lastSeenAt), desc(sessions.createdAt), asc(bytewise(sessions.id))),
    pg.db
      .select(columns)
      .from(sessions)
      .where(
        and(
          eq(sessions.userId, userId),
          or(isNotNull(sessions.revokedAt), lte(sessions.refreshExpiresAt, nowIso)),
          sql`${endedAt} >= ${iso(endedSince)}`,
          sql`${endedAt} <= ${nowIso}`,
        ),
      )
      .orderBy(desc(endedAt), asc(bytewise(sessions.id)))
      .limit(endedLimit),
  ]);
  return { live: live.map(toDeviceRow), ended: ended.map(toDeviceRow) };
}

/**
 * Renames one of the user's live devices and logs it with its old and new names, in one
 * transaction; false when nothing of theirs matched. Lock plan: the row FOR UPDATE (the old name
 * read is the one replaced: two renames at once queue there), then the UPDATE under that lock.
 */
export async function renameDevice(pg: Pg, actor: { userId: string; orgId: string }, sessionId: string, label: string, now: Date): Promise<boolean> {
  return inTransaction(pg.pool, async (tx) => {
    const mine = and(eq(sessions.id, sessionId), eq(sessions.userId, actor.userId), isNull(sessions.revokedAt), gt(sessions.refreshExpiresAt, iso(now)));
    const [before] = await tx.db.select({ label: sessions.deviceLabel }).from(sessions).where(mine).for('update');
    if (!before) return false;
    await tx.db.update(sessions).set({ deviceLabel: label }).where(eq(sessions.id, sessionId));
    const event = { type: 'device_renamed', userId: actor.userId, orgId: actor.orgId, sessionId, actorUserId: actor.userId, detail: label, deviceLabel: before.label } as const;
    await recordEvents(tx, [event], now);
    return true;
  });
}

/** The live session whose "Not you?" token hashes to `tokenHash`, as its page describes it. */
export async function findAlertSession(pg: Pg, tokenHash: string, now: Date): Promise<AlertSession | null> {
  const [row] = await pg.db
    .select({ label: sessions.deviceLabel, deviceType: sessions.deviceType, signedInAt: sessions.createdAt })
    .from(sessions)
    .where(and(eq(sessions.alertTokenHash, tokenHash), isNull(sessions.revokedAt), gt(sessions.refreshExpiresAt, iso(now))));
  return row ? { ...row, deviceType: asDeviceType(row.deviceType) } : null;
}
