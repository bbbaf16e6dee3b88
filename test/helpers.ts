import { decodeProtectedHeader } from 'jose';
import { getKeyring, type Keyring } from '@/lib/crypto/keys';
import { startChallenge } from '@/lib/auth/codes';
import type { SendBudget } from '@/lib/rules';
import { completeSignIn, type SignInPolicy } from '@/lib/auth/sign-in';
import type { DeviceType } from '@/lib/store/model';
import { normalizeEmail } from '@/lib/users';

export const POLICY: SignInPolicy = { accessTtlSeconds: 900, persistentLifetimeSeconds: 30 * 86_400, browserLifetimeSeconds: 12 * 3600 };

/** A global send budget no test reaches, for tests about something else (C6 has its own). */
export const ROOMY_BUDGET: SendBudget = { burst: 1_000_000, perMinute: 1_000_000 };

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
  const keyring = options.keyring ?? getKeyring();
  const challenge = await startChallenge(keyring, normalizeEmail(email), now);
  if (!challenge.code) throw new Error('send cap reached in test');
  const result = await completeSignIn(
    keyring,
    {
      challengeId: challenge.challengeId,
      code: challenge.code,
      deviceFingerprint: options.fingerprint ?? 'f'.repeat(64),
      deviceType: options.deviceType ?? 'desktop',
      deviceLabel: options.label ?? 'Test device',
      persistent: options.persistent ?? true,
    },
    POLICY,
    now,
  );
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
