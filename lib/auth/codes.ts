import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { signInChallenges } from '../db/schema';
import { addSeconds, iso, randomId } from '../ids';
import { deriveKey, type Keyring } from './keys';

/** Emailed one-time codes: 6 digits, 10 minutes, 5 tries, only their HMAC stored. */
export const CODE_TTL_SECONDS = 10 * 60;
export const MAX_ATTEMPTS_PER_CODE = 5;
/** Codes sent to one address per window; more requests get the same answer and no email. */
export const MAX_SENDS_PER_WINDOW = 5;
/** Wrong codes for one address (across its codes) before it must wait out the window. */
export const MAX_FAILURES_PER_WINDOW = 10;
export const THROTTLE_WINDOW_SECONDS = 15 * 60;

const CODE_PATTERN = /^[0-9]{6}$/; // ASCII digits only: no other scripts' digits, no spaces

export function isWellFormedCode(code: unknown): code is string {
  return typeof code === 'string' && CODE_PATTERN.test(code);
}

export function generateCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}

/** HMAC of the code bound to its challenge, under a key derived for this purpose only. */
export function hashCode(keyring: Keyring, kid: string, challengeId: string, code: string): string | null {
  const key = keyring.byKid.get(kid);
  if (!key) return null;
  return createHmac('sha256', deriveKey(key, 'sign-in-code')).update(`${challengeId}:${code}`).digest('hex');
}

/** Constant-time comparison of two hex digests; unequal lengths are simply unequal. */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

export type StartedChallenge = { challengeId: string; code: string | null; expiresAt: Date };

/**
 * Issues a code for `email`, invalidating any earlier one (a resend). Past the per-address cap it
 * returns a challenge id that matches nothing and no code, so the caller answers identically.
 */
export function startChallenge(db: Db, keyring: Keyring, email: string, now: Date): StartedChallenge {
  const challengeId = randomId();
  const expiresAt = addSeconds(now, CODE_TTL_SECONDS);
  const windowStart = iso(addSeconds(now, -THROTTLE_WINDOW_SECONDS));
  return db.transaction(
    (tx) => {
      const recent = tx
        .select({ sends: sql<number>`count(*)` })
        .from(signInChallenges)
        .where(and(eq(signInChallenges.email, email), gt(signInChallenges.createdAt, windowStart)))
        .get();
      if ((recent?.sends ?? 0) >= MAX_SENDS_PER_WINDOW || recentFailures(tx, email, now) >= MAX_FAILURES_PER_WINDOW) {
        return { challengeId, code: null, expiresAt };
      }
      // A resend invalidates the previous code: expire every open challenge for this address.
      tx.update(signInChallenges)
        .set({ expiresAt: iso(now) })
        .where(and(eq(signInChallenges.email, email), isNull(signInChallenges.consumedAt), gt(signInChallenges.expiresAt, iso(now))))
        .run();
      const code = generateCode();
      const kid = keyring.current.kid;
      tx.insert(signInChallenges)
        .values({
          id: challengeId,
          email,
          codeHmac: hashCode(keyring, kid, challengeId, code) ?? '',
          kid,
          expiresAt: iso(expiresAt),
          createdAt: iso(now),
        })
        .run();
      return { challengeId, code, expiresAt };
    },
    { behavior: 'immediate' },
  );
}

/** Wrong codes entered for `email` in the window since its last successful sign-in. */
export function recentFailures(db: Db, email: string, now: Date): number {
  const windowStart = iso(addSeconds(now, -THROTTLE_WINDOW_SECONDS));
  const row = db
    .select({ failures: sql<number>`coalesce(sum(${signInChallenges.attempts}), 0)` })
    .from(signInChallenges)
    .where(
      and(
        eq(signInChallenges.email, email),
        gt(signInChallenges.createdAt, windowStart),
        sql`${signInChallenges.createdAt} > coalesce((select max(consumed_at) from sign_in_challenges where email = ${email}), '')`,
      ),
    )
    .get();
  return row?.failures ?? 0;
}

/** The address a still-open challenge was sent to, for "we sent a code to …" on its own browser. */
export function openChallengeEmail(db: Db, challengeId: string | undefined, now: Date): string | null {
  if (!challengeId || challengeId.length > 64) return null;
  const row = db
    .select({ email: signInChallenges.email })
    .from(signInChallenges)
    .where(and(eq(signInChallenges.id, challengeId), isNull(signInChallenges.consumedAt), gt(signInChallenges.expiresAt, iso(now))))
    .get();
  return row?.email ?? null;
}
