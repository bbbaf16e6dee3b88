import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { signInChallenges, type DeviceType } from '../db/schema';
import { iso } from '../ids';
import { findOrCreateUser } from '../users';
import { digestsEqual, hashCode, MAX_ATTEMPTS_PER_CODE, MAX_FAILURES_PER_WINDOW, recentFailures } from './codes';
import type { IssuedTokens } from './cookies';
import { recordSecurityEvent } from './events';
import { issueTokens } from './issue';
import { isUnfamiliarDevice } from './new-device';
import type { Keyring } from './keys';
import { insertSession } from './sessions';

export type SignInInput = {
  challengeId: string;
  code: string;
  deviceFingerprint: string;
  deviceLabel: string | null;
  deviceType: DeviceType;
  persistent: boolean;
};

export type SignInPolicy = { accessTtlSeconds: number; persistentLifetimeSeconds: number; browserLifetimeSeconds: number };

export type SignInResult =
  | { ok: true; sessionId: string; userId: string; email: string; newUser: boolean; newDevice: boolean; tokens: IssuedTokens }
  | { ok: false; error: 'invalid_code' };

/**
 * Checks an emailed code and, if it is right, creates the session. Consuming the code, creating
 * a new user and inserting the session are one immediate transaction: two submissions of one code
 * produce one session, and if the insert fails the code is still unused (R4). Every failure has
 * the same public answer, so it reveals nothing about the address or the cap that was hit.
 */
export async function completeSignIn(db: Db, keyring: Keyring, input: SignInInput, policy: SignInPolicy, now: Date): Promise<SignInResult> {
  const created = db.transaction(
    (tx) => {
      const challenge = tx.select().from(signInChallenges).where(eq(signInChallenges.id, input.challengeId)).get();
      if (!challenge || challenge.consumedAt || challenge.expiresAt <= iso(now)) return null;
      if (challenge.attempts >= MAX_ATTEMPTS_PER_CODE) return null;
      if (recentFailures(tx, challenge.email, now) >= MAX_FAILURES_PER_WINDOW) return null;
      const expected = hashCode(keyring, challenge.kid, challenge.id, input.code);
      if (!expected || !digestsEqual(expected, challenge.codeHmac)) {
        tx.update(signInChallenges)
          .set({ attempts: challenge.attempts + 1 })
          .where(eq(signInChallenges.id, challenge.id))
          .run();
        return null;
      }
      tx.update(signInChallenges).set({ consumedAt: iso(now) }).where(eq(signInChallenges.id, challenge.id)).run();
      const account = findOrCreateUser(tx, challenge.email, now);
      // Decided before the new row exists, inside the transaction, so it compares with the past only.
      const newDevice = !account.created && isUnfamiliarDevice(tx, account.userId, input.deviceFingerprint, now);
      const session = insertSession(
        tx,
        {
          userId: account.userId,
          orgId: account.orgId,
          kid: keyring.current.kid,
          deviceFingerprint: input.deviceFingerprint,
          deviceLabel: input.deviceLabel,
          deviceType: input.deviceType,
          persistent: input.persistent,
          accessTtlSeconds: policy.accessTtlSeconds,
          lifetimeSeconds: input.persistent ? policy.persistentLifetimeSeconds : policy.browserLifetimeSeconds,
        },
        now,
      );
      recordSecurityEvent(tx, { type: 'sign_in', userId: account.userId, orgId: account.orgId, sessionId: session.id, detail: input.deviceLabel }, now);
      return { session, account, email: challenge.email, newDevice };
    },
    { behavior: 'immediate' },
  );
  if (!created) return { ok: false, error: 'invalid_code' };
  // Signing is async, so it happens after the synchronous transaction has committed.
  const tokens = await issueTokens(
    keyring,
    {
      sessionId: created.session.id,
      userId: created.account.userId,
      generation: 0,
      refreshExpiresAt: created.session.refreshExpiresAt,
      persistent: created.session.persistent,
    },
    policy.accessTtlSeconds,
    now,
  );
  return {
    ok: true,
    sessionId: created.session.id,
    userId: created.account.userId,
    email: created.email,
    newUser: created.account.created,
    newDevice: created.newDevice,
    tokens,
  };
}
