// Confirming a sign-in code: the attempt count, the user and the new session in one transaction.
import { and, desc, eq, sql } from 'drizzle-orm';
import { familiarSince, isUnfamiliarDevice, mayTryCode } from '../../rules';
import { iso, randomId } from '../../ids';
import { chosenLabel, newSessionRow } from '../new-session';
import type { ConfirmSignIn, SignedIn } from '../types';
import { recordEvents } from './activity';
import { recentFailures } from './challenges';
import type { Connection, Db } from './connection';
import { withWriteLock } from './lock';
import { sessions, signInChallenges } from './schema';
import { findOrCreateUser } from './users';

/**
 * Checks a code and, when right, consumes it, creates the user on first sign-in and inserts the
 * session, in one immediate transaction: two submissions of one code make one session, and if the
 * insert fails the code is still unused (R4). A wrong code returns null *without throwing*, so the
 * transaction commits its attempt count; a throw would roll the count back and give endless tries.
 */
export function confirmSignIn({ sqlite, db }: Connection, input: ConfirmSignIn, now: Date): Promise<SignedIn | null> {
  return withWriteLock(sqlite, (): SignedIn | null => {
    const challenge = db.select().from(signInChallenges).where(eq(signInChallenges.id, input.challengeId)).get();
    if (!challenge || !mayTryCode(challenge, recentFailures(db, challenge.email, now), now)) return null;
    if (!input.codeMatches({ ...challenge })) {
      db.update(signInChallenges)
        .set({ attempts: challenge.attempts + 1 })
        .where(eq(signInChallenges.id, challenge.id))
        .run();
      return null;
    }
    db.update(signInChallenges).set({ consumedAt: iso(now) }).where(eq(signInChallenges.id, challenge.id)).run();
    const account = findOrCreateUser(db, challenge.email, now);
    // Decided before the new row exists, inside the transaction, so it compares with the past only.
    const newDevice = !account.created && isUnfamiliarDevice(deviceHistory(db, account.userId, input.device.fingerprint, now));
    const label = chosenLabel(input, input.device.labelIsSuggestion ? earlierName(db, account.userId, input.device.fingerprint) : null);
    const sessionId = randomId();
    db.insert(sessions)
      .values(newSessionRow(sessionId, account, input, now, { label, newDevice }))
      .run();
    recordEvents(db, [{ type: 'sign_in', userId: account.userId, orgId: account.orgId, sessionId, detail: label, deviceLabel: label }], now);
    return { sessionId, userId: account.userId, orgId: account.orgId, email: challenge.email, newUser: account.created, newDevice, deviceLabel: label };
  });
}

/** The name `userId`'s latest session from `fingerprint` had (kept as long as the session row is). */
function earlierName(db: Db, userId: string, fingerprint: string): string | null {
  const row = db
    .select({ label: sessions.deviceLabel })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), eq(sessions.deviceFingerprint, fingerprint)))
    .orderBy(desc(sessions.createdAt), desc(sessions.id))
    .get();
  return row?.label ?? null;
}

/** The user's sessions so far, and those from `fingerprint` seen recently enough to be familiar. */
function deviceHistory(db: Db, userId: string, fingerprint: string, now: Date): { priorSessions: number; familiarSessions: number } {
  const row = db
    .select({
      priorSessions: sql<number>`count(*)`,
      familiarSessions: sql<number>`coalesce(sum(${sessions.deviceFingerprint} = ${fingerprint} and ${sessions.lastSeenAt} >= ${familiarSince(now)}), 0)`,
    })
    .from(sessions)
    .where(eq(sessions.userId, userId))
    .get();
  return { priorSessions: row?.priorSessions ?? 0, familiarSessions: row?.familiarSessions ?? 0 };
}
