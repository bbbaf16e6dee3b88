import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { kidOf } from '@/test/helpers';
import { randomId } from '../ids';
import { deriveKey, getKeyring, MIN_SECRET_BYTES, parseKeyring } from './keys';
import { signToken } from './tokens';

/**
 * The keyring's own mechanics. What it refuses (SECURITY.md T5: weak, malformed or duplicate keys)
 * and that a token verifies only under the secret its kid names (T2) are proven in
 * test/security/tokens.test.ts.
 */
const secret = (bytes = MIN_SECRET_BYTES): string => randomBytes(bytes).toString('base64url');
const NOW = new Date('2030-01-01T00:00:00.000Z');

describe('keys: ordering, lookups and derived keys', () => {
  it('the first entry signs; every entry is known, newest first', async () => {
    const keyring = parseKeyring(` new:${secret()} , mid:${secret()},old:${secret()}`);
    expect(keyring.current.kid).toBe('new');
    expect([...keyring.byKid.keys()]).toEqual(['new', 'mid', 'old']);
    const token = await signToken(keyring, 'access', { sessionId: randomId(), userId: 'u', issuedAt: NOW, expiresAt: new Date(NOW.getTime() + 60_000) });
    expect(kidOf(token)).toBe('new');
  });

  it('deriveKey binds the subkey to its purpose and never returns the signing secret', () => {
    const key = parseKeyring(`v1:${secret()}`).current;
    const codes = deriveKey(key, 'sign-in-code');
    expect(codes.length).toBe(32);
    expect(codes.equals(deriveKey(key, 'sign-in-code'))).toBe(true);
    expect(codes.equals(deriveKey(key, 'other'))).toBe(false);
    expect(codes.equals(Buffer.from(key.secret))).toBe(false);
  });

  it('getKeyring reads SIGNET_KEYS (t2 signs, t1 still verifies) and is cached', () => {
    const keyring = getKeyring();
    expect(keyring.current.kid).toBe('t2');
    expect([...keyring.byKid.keys()]).toEqual(['t2', 't1']);
    expect(getKeyring()).toBe(keyring);
  });
});
