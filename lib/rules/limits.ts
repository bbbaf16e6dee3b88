import { addSeconds, iso } from '../ids';
import { MAX_ATTEMPTS_PER_CODE, MAX_FAILURES_PER_WINDOW, MAX_SENDS_PER_WINDOW, THROTTLE_WINDOW_SECONDS, throttleWindowStart, type ChallengeState } from './index';

/**
 * The sign-in caps explained (C7): which one an address is over and until when, and why a code
 * was refused. Pure functions of what the store counted, so they answer a known and an unknown
 * address alike; the pages turn them into words.
 */

/** A per-address cap that is reached, and when it lifts (C3), so the person can be told (C7). */
export type AddressLimit = { limit: 'sends' | 'failures'; until: Date };

type SendsInWindow = { sends: Array<{ createdAt: string; attempts: number }>; lastSignInAt: string | null };

/**
 * Which cap, if any, an address is over at `now`, and the moment it lifts: the moment enough of
 * the codes (or wrong tries) counted against it leave the 15-minute window. The failure lock wins
 * when both apply, since no code can be entered while it holds. Pure: the same history gives the
 * same answer for a known and an unknown address.
 */
export function addressLimit(history: SendsInWindow, now: Date): AddressLimit | null {
  const windowStart = throttleWindowStart(now);
  const sends = history.sends.filter((send) => send.createdAt > windowStart);
  const afterSignIn = sends.filter((send) => send.createdAt > (history.lastSignInAt ?? ''));
  let failures = afterSignIn.reduce((sum, send) => sum + send.attempts, 0);
  if (failures >= MAX_FAILURES_PER_WINDOW) {
    // Failures fall away with the code they were entered for; the lock lifts once they are below the cap.
    for (const send of afterSignIn) {
      failures -= send.attempts;
      if (failures < MAX_FAILURES_PER_WINDOW) return { limit: 'failures', until: leavesWindow(send.createdAt) };
    }
  }
  if (sends.length >= MAX_SENDS_PER_WINDOW) {
    const oldestThatMustLeave = sends[sends.length - MAX_SENDS_PER_WINDOW];
    if (oldestThatMustLeave) return { limit: 'sends', until: leavesWindow(oldestThatMustLeave.createdAt) };
  }
  return null;
}

function leavesWindow(createdAt: string): Date {
  return addSeconds(new Date(createdAt), THROTTLE_WINDOW_SECONDS);
}

/** Why a code was refused, in the terms the page explains it (C7). */
export type CodeRefusal =
  | { reason: 'wrong'; triesLeft: number }
  | { reason: 'used_up' }
  | { reason: 'address_locked'; until: Date }
  | { reason: 'expired' };

/**
 * Why a code for `challenge` was just refused, read after the refusal: a challenge that is gone,
 * used or past its expiry has expired; an address over its failure cap is locked; a code tried 5
 * times is used up (whether the last try was right or not: C3 never says which); otherwise the
 * code was wrong and has tries left.
 */
export function explainRefusal(challenge: ChallengeState | null, limit: AddressLimit | null, now: Date): CodeRefusal {
  if (!challenge || challenge.consumedAt !== null || challenge.expiresAt <= iso(now)) return { reason: 'expired' };
  if (limit?.limit === 'failures') return { reason: 'address_locked', until: limit.until };
  if (challenge.attempts >= MAX_ATTEMPTS_PER_CODE) return { reason: 'used_up' };
  return { reason: 'wrong', triesLeft: MAX_ATTEMPTS_PER_CODE - challenge.attempts };
}
