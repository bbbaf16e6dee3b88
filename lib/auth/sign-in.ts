import { codeMatches, generateCode, hashCode } from '../crypto/codes';
import { addSeconds, randomId } from '../ids';
import { CODE_TTL_SECONDS, newSessionTimes, type SendOutcome } from '../rules';
import { addressLimit, explainRefusal, type AddressLimit, type CodeRefusal } from '../rules/limits';
import type { DeviceType } from '../store/model';
import type { Context } from './context';
import { issueTokens, type IssuedTokens } from './issue';

/**
 * Signing in by emailed code: asking for a code (within the global send budget and the
 * per-address caps), explaining a refusal, and confirming a code into a new session.
 */

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
export async function startChallenge({ store, keyring, policy, now: clock }: Context, email: string): Promise<StartedChallenge> {
  const now = clock();
  const challengeId = randomId();
  const expiresAt = addSeconds(now, CODE_TTL_SECONDS);
  const code = generateCode();
  const kid = keyring.current.kid;
  const codeHmac = hashCode(keyring, kid, challengeId, code) ?? '';
  const outcome = await store.createChallenge({ id: challengeId, email, codeHmac, kid, expiresAt }, now, policy.sendBudget);
  if (outcome === 'sent') return { outcome, challengeId, code, expiresAt, limit: null };
  if (outcome === 'budget_spent') return { outcome, challengeId, code: null, expiresAt, limit: null };
  // Read after the refusal, outside its lock: it only explains. Should the window have moved on
  // in between, say the send cap, lifting a minute from now.
  const limit = addressLimit(await store.addressHistory(email, now), now) ?? { limit: 'sends', until: addSeconds(now, 60) };
  return { outcome, challengeId, code: null, expiresAt, limit };
}

/** This browser's challenge, for its pages: the address, and whether its code can still be entered. */
export async function findChallengeForPage({ store, now }: Context, challengeId: string | undefined): Promise<{ email: string; open: boolean } | null> {
  if (!challengeId || challengeId.length > 64) return null;
  const challenge = await store.findChallenge(challengeId);
  if (!challenge) return null;
  return { email: challenge.email, open: challenge.consumedAt === null && challenge.expiresAt > now().toISOString() };
}

/** Why a code for this browser's challenge was just refused (C7). */
export async function explainCodeRefusal({ store, now: clock }: Context, challengeId: string): Promise<CodeRefusal> {
  const now = clock();
  const challenge = await store.findChallenge(challengeId);
  const limit = challenge ? addressLimit(await store.addressHistory(challenge.email, now), now) : null;
  return explainRefusal(challenge, limit, now);
}

export type SignInInput = {
  challengeId: string;
  code: string;
  deviceFingerprint: string;
  deviceLabel: string | null;
  /** The label is the User-Agent's suggestion, left as it was: the device may keep its earlier name. */
  labelIsSuggestion?: boolean;
  deviceType: DeviceType;
  persistent: boolean;
  /** Hash of the "Not you?" token the new-device email would carry (kept only for a new device). */
  alertTokenHash?: string;
};

export type SignInResult =
  | { ok: true; sessionId: string; userId: string; email: string; newUser: boolean; newDevice: boolean; deviceLabel: string | null; tokens: IssuedTokens }
  | { ok: false; error: 'invalid_code' };

/**
 * Checks an emailed code and, if it is right, creates the session. The store consumes the code,
 * creates a new user and inserts the session in one transaction: two submissions of one code
 * produce one session, and if the insert fails the code is still unused (R4). Every failure has
 * the same public answer, so it reveals nothing about the address or the cap that was hit.
 */
export async function completeSignIn(context: Context, input: SignInInput): Promise<SignInResult> {
  const { store, keyring, policy } = context;
  const now = context.now();
  const times = newSessionTimes(now, input.persistent, policy);
  const signedIn = await store.confirmSignIn(
    {
      challengeId: input.challengeId,
      codeMatches: (challenge) => codeMatches(keyring, challenge, input.code),
      device: {
        fingerprint: input.deviceFingerprint,
        label: input.deviceLabel,
        labelIsSuggestion: input.labelIsSuggestion,
        type: input.deviceType,
        persistent: input.persistent,
      },
      kid: keyring.current.kid,
      alertTokenHash: input.alertTokenHash,
      ...times,
    },
    now,
  );
  if (!signedIn) return { ok: false, error: 'invalid_code' };
  // Signed after the transaction has committed, so the write lock covers the database work only.
  const subject = { sessionId: signedIn.sessionId, userId: signedIn.userId, generation: 0, refreshExpiresAt: times.refreshExpiresAt, persistent: input.persistent };
  const tokens = await issueTokens(keyring, subject, policy.accessTtlSeconds, now);
  const { sessionId, userId, email, newUser, newDevice, deviceLabel } = signedIn;
  return { ok: true, sessionId, userId, email, newUser, newDevice, deviceLabel, tokens };
}
