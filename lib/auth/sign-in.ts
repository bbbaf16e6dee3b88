import { getStore } from '../store';
import type { DeviceType } from '../store/model';
import { codeMatches } from './codes';
import type { IssuedTokens } from '../web/cookies';
import { issueTokens } from './issue';
import type { Keyring } from '../crypto/keys';
import { newSessionTimes, type LifetimePolicy } from '../rules';

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

export type SignInPolicy = LifetimePolicy;

export type SignInResult =
  | { ok: true; sessionId: string; userId: string; email: string; newUser: boolean; newDevice: boolean; deviceLabel: string | null; tokens: IssuedTokens }
  | { ok: false; error: 'invalid_code' };

/**
 * Checks an emailed code and, if it is right, creates the session. The store consumes the code,
 * creates a new user and inserts the session in one transaction: two submissions of one code
 * produce one session, and if the insert fails the code is still unused (R4). Every failure has
 * the same public answer, so it reveals nothing about the address or the cap that was hit.
 */
export async function completeSignIn(keyring: Keyring, input: SignInInput, policy: SignInPolicy, now: Date): Promise<SignInResult> {
  const times = newSessionTimes(now, input.persistent, policy);
  const signedIn = await (await getStore()).confirmSignIn(
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
  return {
    ok: true,
    sessionId: signedIn.sessionId,
    userId: signedIn.userId,
    email: signedIn.email,
    newUser: signedIn.newUser,
    newDevice: signedIn.newDevice,
    deviceLabel: signedIn.deviceLabel,
    tokens,
  };
}
