// DBSC on SQLite: challenges bound to one session, and the key a session is bound to.
import { and, eq, gt, inArray, isNull, lte, sql } from 'drizzle-orm';
import { iso } from '../../ids';
import type { BindDeviceKey, DeviceBinding, NewDeviceChallenge } from '../types';
import { liveAt } from './access';
import { recordEvents } from './activity';
import type { Connection, Db } from './connection';
import { withWriteLock } from './lock';
import { dbscChallenges, sessions } from './schema';

/**
 * The session's row as binding and challenges need it, read under the write lock. Revocation
 * takes the same lock, so what this sees stays true until the transaction ends.
 */
function liveSession(db: Db, sessionId: string, now: Date) {
  return db
    .select({ userId: sessions.userId, orgId: sessions.orgId, deviceLabel: sessions.deviceLabel, publicKey: sessions.dbscPublicKey })
    .from(sessions)
    .where(and(eq(sessions.id, sessionId), liveAt(now)))
    .get();
}

/** Stores a challenge for a live session in the binding state its purpose needs; clears expired ones. */
export function createDeviceChallenge({ sqlite, db }: Connection, input: NewDeviceChallenge, now: Date): Promise<boolean> {
  return withWriteLock(sqlite, () => {
    const session = liveSession(db, input.sessionId, now);
    if (!session || (session.publicKey !== null) !== (input.purpose === 'refresh')) return false;
    db.delete(dbscChallenges).where(and(eq(dbscChallenges.sessionId, input.sessionId), lte(dbscChallenges.expiresAt, iso(now)))).run();
    db.insert(dbscChallenges).values({ challenge: input.challenge, sessionId: input.sessionId, expiresAt: iso(input.expiresAt), createdAt: iso(now) }).run();
    return true;
  });
}

/** Consumes one unexpired challenge of the session; in the caller's lock. */
function consume(db: Db, sessionId: string, challenge: string, now: Date): boolean {
  const used = db
    .delete(dbscChallenges)
    .where(and(eq(dbscChallenges.challenge, challenge), eq(dbscChallenges.sessionId, sessionId), gt(dbscChallenges.expiresAt, iso(now))))
    .returning({ challenge: dbscChallenges.challenge })
    .all();
  return used.length === 1;
}

/**
 * Binds a live, unbound session of `userId` to the key that answered its registration challenge,
 * all under one lock: the challenge is consumed, the key stored, the session's other challenges
 * dropped and 'device_bound' recorded. A bound session is never bound again.
 */
export function bindDeviceKey({ sqlite, db }: Connection, input: BindDeviceKey, now: Date): Promise<DeviceBinding> {
  return withWriteLock(sqlite, (): DeviceBinding => {
    const session = liveSession(db, input.sessionId, now);
    if (!session || session.userId !== input.userId) return 'ended';
    if (session.publicKey !== null) return 'already_bound';
    if (!consume(db, input.sessionId, input.challenge, now)) return 'no_challenge';
    db.update(sessions)
      .set({ dbscPublicKey: input.publicKey, dbscBoundAt: iso(now) })
      .where(and(eq(sessions.id, input.sessionId), isNull(sessions.dbscPublicKey)))
      .run();
    db.delete(dbscChallenges).where(eq(dbscChallenges.sessionId, input.sessionId)).run();
    recordEvents(db, [{ type: 'device_bound', userId: session.userId, orgId: session.orgId, sessionId: input.sessionId, deviceLabel: session.deviceLabel }], now);
    return 'bound';
  });
}

/** The key a live session is bound to (null: unbound, ended or unknown). A read: no lock. */
export async function findDeviceKey(db: Db, sessionId: string, now: Date): Promise<string | null> {
  const row = db
    .select({ publicKey: sessions.dbscPublicKey })
    .from(sessions)
    .where(and(eq(sessions.id, sessionId), liveAt(now), sql`${sessions.dbscPublicKey} IS NOT NULL`))
    .get();
  return row?.publicKey ?? null;
}

/** Consumes an unexpired challenge of this session, once. */
export function consumeDeviceChallenge({ sqlite, db }: Connection, sessionId: string, challenge: string, now: Date): Promise<boolean> {
  return withWriteLock(sqlite, () => consume(db, sessionId, challenge, now));
}

/** Part of every revocation, in its transaction: an ended session's challenges die with it. */
export function dropDeviceChallenges(db: Db, sessionIds: string[]): void {
  if (sessionIds.length > 0) db.delete(dbscChallenges).where(inArray(dbscChallenges.sessionId, sessionIds)).run();
}
