import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { deriveKey, type Keyring } from './keys';

/** Emailed one-time codes: 6 random digits, of which only an HMAC bound to the challenge is stored. */

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

/** Whether `code` is the one a challenge was issued with (C2: HMAC, constant time). */
export function codeMatches(keyring: Keyring, challenge: { id: string; kid: string; codeHmac: string }, code: string): boolean {
  const expected = hashCode(keyring, challenge.kid, challenge.id, code);
  return expected !== null && digestsEqual(expected, challenge.codeHmac);
}
