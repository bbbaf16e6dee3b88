import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { kidOf } from '@/test/helpers';
import { randomId } from '../ids';
import { deriveKey, generateKeyEntry, getKeyring, MIN_SECRET_BYTES, parseKeyring } from './keys';
import { signToken, verifyToken } from './tokens';

const secret = (bytes = MIN_SECRET_BYTES): string => randomBytes(bytes).toString('base64url');
const NOW = new Date('2030-01-01T00:00:00.000Z');

describe('keys: T5 parseKeyring refuses weak or malformed keys', () => {
  it('T5: a secret shorter than 256 bits is refused with a message naming the entry and its size', () => {
    expect(() => parseKeyring(`short:${secret(31)}`)).toThrow(/short.*248 bits.*256/);
    expect(() => parseKeyring(`v2:${secret()},v1:${secret(16)}`)).toThrow(/v1.*128 bits/);
  });

  it('T5: a secret of exactly 256 bits is accepted', () => {
    const keyring = parseKeyring(`k:${secret(32)}`);
    expect(keyring.current.secret.length).toBe(32);
  });

  it('T5: a duplicate key version is refused', () => {
    expect(() => parseKeyring(`v1:${secret()},v1:${secret()}`)).toThrow(/v1 appears twice/);
  });

  it.each([
    ['an empty kid', `:${secret()}`],
    ['no colon', secret()],
    ['a slash in the kid', `a/b:${secret()}`],
    ['a path in the kid', `../x:${secret()}`],
    ['a space in the kid', `v 1:${secret()}`],
    ['a 33-character kid', `${'k'.repeat(33)}:${secret()}`],
  ])('T5: a malformed kid (%s) is refused', (_label, spec) => {
    expect(() => parseKeyring(spec)).toThrow(/not a valid key version/);
  });

  it.each([
    ['empty', 'v1:'],
    ['standard base64 with +/', `v1:${randomBytes(33).toString('base64').replace(/[A-Za-z0-9]/, '+')}`],
    ['padded', `v1:${randomBytes(32).toString('base64url')}=`],
    ['non-ASCII', `v1:${secret()}é`],
  ])('T5: a malformed secret (%s) is refused', (_label, spec) => {
    expect(() => parseKeyring(spec)).toThrow(/v1/);
  });

  it.each(['', ' ', ',', ' , ,'])('T5: an empty spec (%j) is refused', (spec) => {
    expect(() => parseKeyring(spec)).toThrow(/empty/);
  });

  it('T5: the secret itself never appears in an error message', () => {
    const weak = secret(20);
    let message = '';
    try {
      parseKeyring(`v1:${weak}`);
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }
    expect(message).toMatch(/v1/);
    expect(message).not.toContain(weak);
  });
});

describe('keys: ordering and lookups', () => {
  it('the first entry signs; every entry is known, newest first', async () => {
    const keyring = parseKeyring(` new:${secret()} , mid:${secret()},old:${secret()}`);
    expect(keyring.current.kid).toBe('new');
    expect([...keyring.byKid.keys()]).toEqual(['new', 'mid', 'old']);
    const token = await signToken(keyring, 'access', { sessionId: randomId(), userId: 'u', issuedAt: NOW, expiresAt: new Date(NOW.getTime() + 60_000) });
    expect(kidOf(token)).toBe('new');
  });

  it('T2: byKid is a Map, so prototype names are not keys', () => {
    const keyring = parseKeyring(`v1:${secret()}`);
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(keyring.byKid.get(name)).toBeUndefined();
    }
  });

  it('a token signed by one keyring does not verify under a keyring with the same kid and another secret', async () => {
    const signer = parseKeyring(`v1:${secret()}`);
    const impostor = parseKeyring(`v1:${secret()}`);
    const token = await signToken(signer, 'access', { sessionId: randomId(), userId: 'u', issuedAt: NOW, expiresAt: new Date(NOW.getTime() + 60_000) });
    expect(await verifyToken(signer, 'access', token, NOW)).not.toBeNull();
    expect(await verifyToken(impostor, 'access', token, NOW)).toBeNull();
  });

  it('T5: generateKeyEntry makes a parseable 256-bit entry, different every time', () => {
    const first = generateKeyEntry('v9');
    const second = generateKeyEntry('v9');
    expect(first).toMatch(/^v9:[A-Za-z0-9_-]+$/);
    expect(first).not.toBe(second);
    expect(parseKeyring(first).current.secret.length).toBe(32);
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
