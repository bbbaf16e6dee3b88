// Sign-in challenges: sending a code under the global budget and the per-address caps, and the failures those caps count.
import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { maySendCode, sendTokensAt, throttleWindowStart, type SendBudget, type SendOutcome } from '../../rules';
import { iso } from '../../ids';
import { SEND_BUDGET_ID } from '../model';
import type { AddressHistory, ChallengeView, NewChallenge } from '../types';
import type { Connection, Db } from './connection';
import { withWriteLock } from './lock';
import { codeSendBudget, signInChallenges } from './schema';

/**
 * Stores a new challenge for its address and expires the address's open ones (a resend), taking
 * one send from the global budget. Under the write lock, in this order: the budget (spent: nothing
 * is written, whatever the address), then the address's send and failure caps (reached: nothing
 * is written and the budget keeps its token), then the writes. Two requests at once cannot both
 * take the last send of either.
 */
export function createChallenge({ sqlite, db }: Connection, challenge: NewChallenge, now: Date, budget: SendBudget): Promise<SendOutcome> {
  const nowIso = iso(now);
  return withWriteLock(sqlite, () => {
    const bucket = db.select().from(codeSendBudget).where(eq(codeSendBudget.id, SEND_BUDGET_ID)).get();
    const tokens = sendTokensAt(bucket ?? null, budget, now);
    if (tokens < 1) return 'budget_spent';
    const sent = db
      .select({ sends: sql<number>`count(*)` })
      .from(signInChallenges)
      .where(and(eq(signInChallenges.email, challenge.email), gt(signInChallenges.createdAt, throttleWindowStart(now))))
      .get();
    if (!maySendCode({ sends: sent?.sends ?? 0, failures: recentFailures(db, challenge.email, now) })) return 'address_capped';
    db.update(signInChallenges)
      .set({ expiresAt: nowIso })
      .where(and(eq(signInChallenges.email, challenge.email), isNull(signInChallenges.consumedAt), gt(signInChallenges.expiresAt, nowIso)))
      .run();
    db.insert(signInChallenges)
      .values({
        id: challenge.id,
        email: challenge.email,
        codeHmac: challenge.codeHmac,
        kid: challenge.kid,
        expiresAt: iso(challenge.expiresAt),
        createdAt: nowIso,
      })
      .run();
    const spent = { tokens: tokens - 1, refilledAt: nowIso };
    db.insert(codeSendBudget).values({ id: SEND_BUDGET_ID, ...spent }).onConflictDoUpdate({ target: codeSendBudget.id, set: spent }).run();
    return 'sent';
  });
}

/** Wrong codes entered for `email` in the throttle window since its last successful sign-in. */
export function recentFailures(db: Db, email: string, now: Date): number {
  const row = db
    .select({ failures: sql<number>`coalesce(sum(${signInChallenges.attempts}), 0)` })
    .from(signInChallenges)
    .where(
      and(
        eq(signInChallenges.email, email),
        gt(signInChallenges.createdAt, throttleWindowStart(now)),
        sql`${signInChallenges.createdAt} > coalesce((select max(consumed_at) from sign_in_challenges where email = ${email}), '')`,
      ),
    )
    .get();
  return row?.failures ?? 0;
}

/** A challenge in any state, without its HMAC, for the pages that explain a refusal. */
export function findChallenge(db: Db, challengeId: string): ChallengeView | null {
  if (!challengeId || challengeId.length > 64) return null;
  const row = db
    .select({
      id: signInChallenges.id,
      email: signInChallenges.email,
      expiresAt: signInChallenges.expiresAt,
      attempts: signInChallenges.attempts,
      consumedAt: signInChallenges.consumedAt,
      createdAt: signInChallenges.createdAt,
    })
    .from(signInChallenges)
    .where(eq(signInChallenges.id, challengeId))
    .get();
  return row ?? null;
}

/** The codes sent to `email` in the throttle window, oldest first, and its last sign-in. */
export function addressHistory(db: Db, email: string, now: Date): AddressHistory {
  const sends = db
    .select({ createdAt: signInChallenges.createdAt, attempts: signInChallenges.attempts })
    .from(signInChallenges)
    .where(and(eq(signInChallenges.email, email), gt(signInChallenges.createdAt, throttleWindowStart(now))))
    .orderBy(asc(signInChallenges.createdAt), asc(signInChallenges.id))
    .all();
  const last = db
    .select({ at: sql<string | null>`max(${signInChallenges.consumedAt})` })
    .from(signInChallenges)
    .where(eq(signInChallenges.email, email))
    .get();
  return { sends, lastSignInAt: last?.at ?? null };
}
