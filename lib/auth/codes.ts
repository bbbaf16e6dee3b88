import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { addSeconds, randomId } from '../ids';
import { getStore } from '../store';
import type { StoredChallenge } from '../store/types';
import { deriveKey, type Keyring } from '../crypto/keys';
import { addressLimit, explainRefusal, type AddressLimit, type CodeRefusal } from '../rules/limits';
import { sendBudget } from '../web/context';
import { CODE_TTL_SECONDS, type SendBudget, type SendOutcome } from '../rules';

/** Emailed one-time codes: 6 digits, 10 minutes, 5 tries, only their HMAC stored. */
export { CODE_TTL_SECONDS, MAX_ATTEMPTS_PER_CODE, MAX_FAILURES_PER_WINDOW, MAX_SENDS_PER_WINDOW, THROTTLE_WINDOW_SECONDS } from '../rules';

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

/** Whether `code` is the one `challenge` was issued with (C2: HMAC, constant time). */
export function codeMatches(keyring: Keyring, challenge: StoredChallenge, code: string): boolean {
  const expected = hashCode(keyring, challenge.kid, challenge.id, code);
  return expected !== null && digestsEqual(expected, challenge.codeHmac);
}

/** What a person is told when the global send budget is spent: the same words for every address (C6, C7). */
export const SEND_BUDGET_SPENT_MESSAGE = 'Signet is sending a lot of sign-in codes right now. Try again in a minute.';

/**
 * A new challenge (`sent`), or no code: over a per-address cap (`address_capped`: nothing was
 * stored, the id matches nothing, and `limit` says which cap until when, C7) or over the global
 * send budget (`budget_spent`, C6).
 */
export type StartedChallenge = { outcome: SendOutcome; challengeId: string; code: string | null; expiresAt: Date; limit: AddressLimit | null };

/**
 * Issues a code for `email`, invalidating any earlier one (a resend), within the global send
 * budget and the per-address caps. A refusal says which limit and until when: the caps count every
 * address alike, known or not, so saying so reveals nothing about accounts (C5, C7).
 */
export async function startChallenge(keyring: Keyring, email: string, now: Date, budget: SendBudget = sendBudget()): Promise<StartedChallenge> {
  const challengeId = randomId();
  const expiresAt = addSeconds(now, CODE_TTL_SECONDS);
  const code = generateCode();
  const kid = keyring.current.kid;
  const codeHmac = hashCode(keyring, kid, challengeId, code) ?? '';
  const store = await getStore();
  const outcome = await store.createChallenge({ id: challengeId, email, codeHmac, kid, expiresAt }, now, budget);
  if (outcome === 'sent') return { outcome, challengeId, code, expiresAt, limit: null };
  if (outcome === 'budget_spent') return { outcome, challengeId, code: null, expiresAt, limit: null };
  // Read after the refusal, outside its lock: it only explains. Should the window have moved on
  // in between, say the send cap, lifting a minute from now.
  const limit = addressLimit(await store.addressHistory(email, now), now) ?? { limit: 'sends', until: addSeconds(now, 60) };
  return { outcome, challengeId, code: null, expiresAt, limit };
}

/** The address a challenge (in any state) was sent to, to keep it in the sign-in form of its own browser. */
export async function challengeEmail(challengeId: string | undefined): Promise<string | null> {
  if (!challengeId || challengeId.length > 64) return null;
  return (await (await getStore()).findChallenge(challengeId))?.email ?? null;
}

/** This browser's challenge for the code page: its address, and whether its code can still be entered. */
export async function findChallengeForPage(challengeId: string | undefined, now: Date): Promise<{ email: string; open: boolean } | null> {
  if (!challengeId || challengeId.length > 64) return null;
  const challenge = await (await getStore()).findChallenge(challengeId);
  if (!challenge) return null;
  return { email: challenge.email, open: challenge.consumedAt === null && challenge.expiresAt > now.toISOString() };
}

/** Why a code for this browser's challenge was just refused (C7). */
export async function explainCodeRefusal(challengeId: string, now: Date): Promise<CodeRefusal> {
  const store = await getStore();
  const challenge = await store.findChallenge(challengeId);
  const limit = challenge ? addressLimit(await store.addressHistory(challenge.email, now), now) : null;
  return explainRefusal(challenge, limit, now);
}

/** The address a still-open challenge was sent to, for "we sent a code to …" on its own browser. */
export async function openChallengeEmail(challengeId: string | undefined, now: Date): Promise<string | null> {
  if (!challengeId || challengeId.length > 64) return null;
  return (await getStore()).openChallengeEmail(challengeId, now);
}
