// A person's devices: their live and recently ended sessions, and renaming one.
import { and, asc, desc, eq, gt, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import { iso } from '../../ids';
import type { DeviceRow, DeviceRows } from '../types';
import type { Pg } from './connection';
import { asDeviceType, asRevokeReason, bytewise, recordEvents } from './rows';
import { sessions } from './schema';
import { inTransaction } from './tx';

const columns = {
  id: sessions.id,
  label: sessions.deviceLabel,
  deviceType: sessions.deviceType,
  signedInAt: sessions.createdAt,
  lastActiveAt: sessions.lastSeenAt,
  persistent: sessions.persistent,
  refreshExpiresAt: sessions.refreshExpiresAt,
  revokedAt: sessions.revokedAt,
  revokedReason: sessions.revokedReason,
  revokedElsewhere: sessions.revokedElsewhere,
};

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
  const endedAt = sql<string>`coalesce(${sessions.revokedAt}, ${sessions.refreshExpiresAt})`;
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
 * Renames one of the user's live devices and logs it, in one transaction; false when nothing of
 * theirs matched. Lock plan: the UPDATE's own row lock, nothing else.
 */
export async function renameDevice(pg: Pg, actor: { userId: string; orgId: string }, sessionId: string, label: string, now: Date): Promise<boolean> {
  return inTransaction(pg.pool, async (tx) => {
    const renamed = await tx.db
      .update(sessions)
      .set({ deviceLabel: label })
      .where(and(eq(sessions.id, sessionId), eq(sessions.userId, actor.userId), isNull(sessions.revokedAt), gt(sessions.refreshExpiresAt, iso(now))))
      .returning({ id: sessions.id });
    if (renamed.length === 0) return false;
    await recordEvents(tx, [{ type: 'device_renamed', userId: actor.userId, orgId: actor.orgId, sessionId, actorUserId: actor.userId, detail: label }], now);
    return true;
  });
}
