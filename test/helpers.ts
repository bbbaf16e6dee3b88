import { decodeProtectedHeader } from 'jose';
import type { Context } from '@/lib/auth/context';
import { completeSignIn, startChallenge } from '@/lib/auth/sign-in';
import { getKeyring, type Keyring } from '@/lib/crypto/keys';
import { devMailbox } from '@/lib/mail/dev-mailbox';
import { getStore } from '@/lib/store';
import type { DeviceType } from '@/lib/store/model';
import { normalizeEmail } from '@/lib/users';
import { POLICY } from './policy';

export { POLICY };

/**
 * The use cases' context for a test: the file's own store and keyring, POLICY, the dev mailbox,
 * and a clock stopped at `now`. `overrides` swaps any part (another keyring, a policy, a store).
 */
export async function contextAt(now: Date, overrides: Partial<Context> = {}): Promise<Context> {
  return { store: await getStore(), keyring: getKeyring(), policy: POLICY, mailer: devMailbox, now: () => now, ...overrides };
}

/** The send budget of POLICY, for store calls that take one directly. */
export const ROOMY_BUDGET = POLICY.sendBudget;

let counter = 0;
/** A unique address per call, so tests in one file never share throttles or accounts by accident. */
export function uniqueEmail(name = 'person'): string {
  counter += 1;
  return `${name}.${Date.now().toString(36)}.${counter}@example.test`;
}

/** Signs `email` in through the real code flow (challenge, HMAC, transaction) and returns the result. */
export async function signIn(
  email: string,
  now = new Date(),
  options: { persistent?: boolean; label?: string; fingerprint?: string; keyring?: Keyring; deviceType?: DeviceType } = {},
) {
  const context = await contextAt(now, options.keyring ? { keyring: options.keyring } : {});
  const challenge = await startChallenge(context, normalizeEmail(email));
  if (!challenge.code) throw new Error('send cap reached in test');
  const result = await completeSignIn(context, {
    challengeId: challenge.challengeId,
    code: challenge.code,
    deviceFingerprint: options.fingerprint ?? 'f'.repeat(64),
    deviceType: options.deviceType ?? 'desktop',
    deviceLabel: options.label ?? 'Test device',
    persistent: options.persistent ?? true,
  });
  if (!result.ok) throw new Error('sign-in failed in test');
  return result;
}

export function at(base: Date, seconds: number): Date {
  return new Date(base.getTime() + seconds * 1000);
}

/** The key version a token's header names, read without verifying it. */
export function kidOf(token: string): string | undefined {
  return decodeProtectedHeader(token).kid;
}
