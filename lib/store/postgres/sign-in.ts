// Confirming a sign-in code: the code check, the user's creation and the new session, in one transaction.
import { and, desc, eq, sql } from 'drizzle-orm';
import { familiarSince, isUnfamiliarDevice, mayTryCode } from '../../rules';
import { iso, randomId } from '../../ids';
import { chosenLabel, newSessionRow } from '../new-session';
import type { ConfirmSignIn, SignedIn, StoredChallenge } from '../types';
import { recentHistory } from './challenges';
import type { Pg } from './connection';
import { bytewise, lockAddress, recordEvents } from './rows';
import { sessions, signInChallenges as challenges } from './schema';
import { inTransaction, type Tx } from './tx';
import { findOrCreateUser } from './users';

/**
 * Lock plan: read the challenge's address (unlocked: it never changes), take that address's
 * advisory lock (the same one createChallenge takes, always before any challenge row lock, so
 * the two cannot deadlock), then the challenge row FOR UPDATE. Ten submissions of one code queue
 * there and only the first finds it unconsumed; ten first sign-ins of one address (different
 * codes) queue on the address lock, so one creates the user and the rest find it. A wrong code
 * commits its attempt and answers null; so does every other refusal, alike.
 */
export async function confirmSignIn(pg: Pg, input: ConfirmSignIn, now: Date): Promise<SignedIn | null> {
  return inTransaction(pg.pool, async (tx) => {
    const [address] = await tx.db.select({ email: challenges.email }).from(challenges).where(eq(challenges.id, input.challengeId));
    if (!address) return null;
    await lockAddress(tx, address.email);
    const [challenge] = await tx.db.select().from(challenges).where(eq(challenges.id, input.challengeId)).for('update');
    if (!challenge) return null;
    const { failures } = await recentHistory(tx, challenge.email, now);
    if (!mayTryCode(challenge, failures, now)) return null;
    if (!input.codeMatches(toStoredChallenge(challenge))) {
      await tx.db
        .update(challenges)
        .set({ attempts: sql`${challenges.attempts} + 1` })
        .where(eq(challenges.id, challenge.id));
      return null;
    }
    await tx.db.update(challenges).set({ consumedAt: iso(now) }).where(eq(challenges.id, challenge.id));
    return startSession(tx, challenge.email, input, now);
  });
}

function toStoredChallenge(row: typeof challenges.$inferSelect): StoredChallenge {
  return {
    id: row.id,
    email: row.email,
    codeHmac: row.codeHmac,
    kid: row.kid,
    expiresAt: row.expiresAt,
    attempts: row.attempts,
    consumedAt: row.consumedAt,
    createdAt: row.createdAt,
  };
}

/** The account (created on first sign-in), the new-device decision, the session and its event. */
async function startSession(tx: Tx, email: string, input: ConfirmSignIn, now: Date): Promise<SignedIn> {
  const account = await findOrCreateUser(tx, email, now);
  // Decided before the new row exists, so it compares with the past only. A new user has no past.
  const newDevice = !account.created && isUnfamiliarDevice(await deviceHistory(tx, account.userId, input.device.fingerprint, now));
  const label = chosenLabel(input, input.device.labelIsSuggestion ? await earlierName(tx, account.userId, input.device.fingerprint) : null);
  const sessionId = randomId();
  await tx.db.insert(sessions).values(newSessionRow(sessionId, account, input, now, { label, newDevice }));
  await recordEvents(tx, [{ type: 'sign_in', userId: account.userId, orgId: account.orgId, sessionId, detail: label, deviceLabel: label }], now);
  return { sessionId, userId: account.userId, orgId: account.orgId, email, newUser: account.created, newDevice, deviceLabel: label };
}

/** The name `userId`'s latest session from `fingerprint` had (kept as long as the session row is). */
async function earlierName(tx: Tx, userId: string, fingerprint: string): Promise<string | null> {
  const [row] = await tx.db
    .select({ label: sessions.deviceLabel })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), eq(sessions.deviceFingerprint, fingerprint)))
    .orderBy(desc(sessions.createdAt), desc(bytewise(sessions.id)))
    .limit(1);
  return row?.label ?? null;
}

/** The user's sessions so far, and those from this device seen recently (FILTER: sum() takes no boolean here). */
async function deviceHistory(tx: Tx, userId: string, fingerprint: string, now: Date): Promise<{ priorSessions: number; familiarSessions: number }> {
  const recent = and(eq(sessions.deviceFingerprint, fingerprint), sql`${sessions.lastSeenAt} >= ${familiarSince(now)}`);
  const [row] = await tx.db
    .select({
      priorSessions: sql<number>`count(*)::int`,
      familiarSessions: sql<number>`(count(*) FILTER (WHERE ${recent}))::int`,
    })
    .from(sessions)
    .where(eq(sessions.userId, userId));
  return { priorSessions: row?.priorSessions ?? 0, familiarSessions: row?.familiarSessions ?? 0 };
}
