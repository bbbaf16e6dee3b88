// DBSC on PostgreSQL: challenges bound to one session, and the key a session is bound to.
import { and, eq, gt, inArray, isNotNull, isNull, lte } from 'drizzle-orm';
import { iso } from '../../ids';
import type { BindDeviceKey, DeviceBinding, NewDeviceChallenge } from '../types';
import type { Pg } from './connection';
import { recordEvents } from './rows';
import { dbscChallenges, sessions } from './schema';
import { inTransaction, type Tx } from './tx';

const liveAt = (now: Date) => and(isNull(sessions.revokedAt), gt(sessions.refreshExpiresAt, iso(now)));

/**
 * The session's row with a lock on it. Lock plan, as rotation's: the session row first (FOR SHARE
 * to add a challenge, FOR UPDATE to bind), then its challenges. A revocation's UPDATE takes the
 * row lock too, so it either waits for this transaction or is seen by it; no challenge or key
 * outlives the session.
 */
async function lockedSession(tx: Tx, sessionId: string, now: Date, strength: 'share' | 'update') {
  const [row] = await tx.db
    .select({ userId: sessions.userId, orgId: sessions.orgId, deviceLabel: sessions.deviceLabel, publicKey: sessions.dbscPublicKey })
    .from(sessions)
    .where(and(eq(sessions.id, sessionId), liveAt(now)))
    .for(strength);
  return row;
}

export function createDeviceChallenge(pg: Pg, input: NewDeviceChallenge, now: Date): Promise<boolean> {
  return inTransaction(pg.pool, async (tx) => {
    const session = await lockedSession(tx, input.sessionId, now, 'share');
    if (!session || (session.publicKey !== null) !== (input.purpose === 'refresh')) return false;
    await tx.db.delete(dbscChallenges).where(and(eq(dbscChallenges.sessionId, input.sessionId), lte(dbscChallenges.expiresAt, iso(now))));
    await tx.db.insert(dbscChallenges).values({ challenge: input.challenge, sessionId: input.sessionId, expiresAt: iso(input.expiresAt), createdAt: iso(now) });
    return true;
  });
}

/** One unexpired challenge of the session, deleted as it is read: it answers once. */
async function consume(db: Pg['db'], sessionId: string, challenge: string, now: Date): Promise<boolean> {
  const used = await db
    .delete(dbscChallenges)
    .where(and(eq(dbscChallenges.challenge, challenge), eq(dbscChallenges.sessionId, sessionId), gt(dbscChallenges.expiresAt, iso(now))))
    .returning({ challenge: dbscChallenges.challenge });
  return used.length === 1;
}

/** Binds a live, unbound session to its key under the session's row lock (see the SQLite twin). */
export function bindDeviceKey(pg: Pg, input: BindDeviceKey, now: Date): Promise<DeviceBinding> {
  return inTransaction(pg.pool, async (tx): Promise<DeviceBinding> => {
    const session = await lockedSession(tx, input.sessionId, now, 'update');
    if (!session || session.userId !== input.userId) return 'ended';
    if (session.publicKey !== null) return 'already_bound';
    if (!(await consume(tx.db, input.sessionId, input.challenge, now))) return 'no_challenge';
    await tx.db.update(sessions).set({ dbscPublicKey: input.publicKey, dbscBoundAt: iso(now) }).where(eq(sessions.id, input.sessionId));
    await tx.db.delete(dbscChallenges).where(eq(dbscChallenges.sessionId, input.sessionId));
    await recordEvents(tx, [{ type: 'device_bound', userId: session.userId, orgId: session.orgId, sessionId: input.sessionId, deviceLabel: session.deviceLabel }], now);
    return 'bound';
  });
}

export async function findDeviceKey(pg: Pg, sessionId: string, now: Date): Promise<string | null> {
  const [row] = await pg.db
    .select({ publicKey: sessions.dbscPublicKey })
    .from(sessions)
    .where(and(eq(sessions.id, sessionId), liveAt(now), isNotNull(sessions.dbscPublicKey)));
  return row?.publicKey ?? null;
}

/** One DELETE … RETURNING: two requests answering one challenge cannot both see it. */
export function consumeDeviceChallenge(pg: Pg, sessionId: string, challenge: string, now: Date): Promise<boolean> {
  return consume(pg.db, sessionId, challenge, now);
}

/** Part of every revocation, in its transaction: an ended session's challenges die with it. */
export async function dropDeviceChallenges(tx: Tx, sessionIds: string[]): Promise<void> {
  if (sessionIds.length > 0) await tx.db.delete(dbscChallenges).where(inArray(dbscChallenges.sessionId, sessionIds));
}
