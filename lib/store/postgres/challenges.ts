// Sign-in codes: storing a new one within the global budget and the per-address caps, and reading an open one's address.
import { and, asc, eq, gt, isNull, max, sql } from 'drizzle-orm';
import { iso } from '../../ids';
import { maySendCode, sendTokensAt, throttleWindowStart, type SendBudget, type SendOutcome } from '../../rules';
import { SEND_BUDGET_ID } from '../model';
import type { AddressHistory, ChallengeView, NewChallenge } from '../types';
import type { Pg } from './connection';
import { asCount, bytewise, lockAddress } from './rows';
import { codeSendBudget, signInChallenges as challenges } from './schema';
import { inTransaction, type Tx } from './tx';

export type RecentHistory = { sends: number; failures: number };

/**
 * Codes sent to `email` in the throttle window, and the wrong codes entered for it in that window
 * since its last successful sign-in (the attempts of challenges created after the last consumed
 * one). Read under lockAddress, so nothing for this address changes between the count and the write.
 */
export async function recentHistory(tx: Tx, email: string, now: Date): Promise<RecentHistory> {
  const lastConsumed = sql`coalesce((SELECT max(consumed_at) FROM sign_in_challenges WHERE email = ${email}), '')`;
  const [row] = await tx.db
    .select({
      sends: sql<number>`count(*)::int`,
      failures: sql<string | null>`sum(${challenges.attempts}) FILTER (WHERE ${challenges.createdAt} > ${lastConsumed})`,
    })
    .from(challenges)
    .where(and(eq(challenges.email, email), gt(challenges.createdAt, throttleWindowStart(now))));
  return { sends: asCount(row?.sends), failures: asCount(row?.failures) };
}

/**
 * Lock plan: the address's advisory lock, then the budget's one row (FOR UPDATE; inserted first if
 * this is the deployment's first send), then count, expire the open codes (their row locks) and
 * insert. Every send takes these in this order, so they cannot deadlock. Twenty requests at once
 * for one address queue on its lock, so exactly five get a code; thirty for thirty addresses
 * queue on the budget's row, so no more than the budget get one.
 */
export async function createChallenge(pg: Pg, challenge: NewChallenge, now: Date, budget: SendBudget): Promise<SendOutcome> {
  return inTransaction(pg.pool, async (tx) => {
    await lockAddress(tx, challenge.email);
    const nowIso = iso(now);
    await tx.db.insert(codeSendBudget).values({ id: SEND_BUDGET_ID, tokens: budget.burst, refilledAt: nowIso }).onConflictDoNothing();
    const [bucket] = await tx.db.select().from(codeSendBudget).where(eq(codeSendBudget.id, SEND_BUDGET_ID)).for('update');
    const tokens = sendTokensAt(bucket ?? null, budget, now);
    // Spent: nothing is written, whatever the address (so every address gets the same answer).
    if (tokens < 1) return 'budget_spent';
    if (!maySendCode(await recentHistory(tx, challenge.email, now))) return 'address_capped';
    // A resend invalidates the previous code: every open challenge for this address expires now.
    await tx.db
      .update(challenges)
      .set({ expiresAt: nowIso })
      .where(and(eq(challenges.email, challenge.email), isNull(challenges.consumedAt), gt(challenges.expiresAt, nowIso)));
    await tx.db.insert(challenges).values({
      id: challenge.id,
      email: challenge.email,
      codeHmac: challenge.codeHmac,
      kid: challenge.kid,
      expiresAt: iso(challenge.expiresAt),
      attempts: 0,
      createdAt: nowIso,
    });
    await tx.db.update(codeSendBudget).set({ tokens: tokens - 1, refilledAt: nowIso }).where(eq(codeSendBudget.id, SEND_BUDGET_ID));
    return 'sent';
  });
}

/** A challenge in any state, without its HMAC, for the pages that explain a refusal. */
export async function findChallenge(pg: Pg, challengeId: string): Promise<ChallengeView | null> {
  if (!challengeId || challengeId.length > 64) return null;
  const [row] = await pg.db
    .select({
      id: challenges.id,
      email: challenges.email,
      expiresAt: challenges.expiresAt,
      attempts: challenges.attempts,
      consumedAt: challenges.consumedAt,
      createdAt: challenges.createdAt,
    })
    .from(challenges)
    .where(eq(challenges.id, challengeId));
  return row ?? null;
}

/** The codes sent to `email` in the throttle window, oldest first, and its last sign-in. Unlocked: it only explains. */
export async function addressHistory(pg: Pg, email: string, now: Date): Promise<AddressHistory> {
  const [sends, [last]] = await Promise.all([
    pg.db
      .select({ createdAt: challenges.createdAt, attempts: challenges.attempts })
      .from(challenges)
      .where(and(eq(challenges.email, email), gt(challenges.createdAt, throttleWindowStart(now))))
      .orderBy(asc(challenges.createdAt), asc(bytewise(challenges.id))),
    pg.db.select({ at: max(challenges.consumedAt) }).from(challenges).where(eq(challenges.email, email)),
  ]);
  return { sends, lastSignInAt: last?.at ?? null };
}
