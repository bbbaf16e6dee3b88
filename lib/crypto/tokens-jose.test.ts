import fs from 'node:fs';
import path from 'node:path';
import * as jose from 'jose';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { at } from '@/test/helpers';
import { randomId } from '../ids';
import { generateKeyEntry, getKeyring, parseKeyring } from './keys';
import { CLOCK_TOLERANCE_SECONDS, MEMO_SIZE, signToken, verifyToken } from './tokens';

/**
 * T7: Signet's tokens are signed and verified by jose, with every option pinned, and the memo of
 * verified access tokens sits in front of it. jose is wrapped (not replaced) so each call can be
 * counted and its options read.
 */
vi.mock('jose', async (importOriginal) => {
  const actual = await importOriginal<typeof import('jose')>();
  return { ...actual, jwtVerify: vi.fn(actual.jwtVerify) };
});
const jwtVerify = vi.mocked(jose.jwtVerify);

const NOW = new Date('2032-02-01T08:00:00.000Z');
const input = (issuedAt = NOW) => ({ sessionId: randomId(), userId: 'user-1', generation: 2, issuedAt, expiresAt: at(issuedAt, 900) });

beforeEach(() => {
  jwtVerify.mockClear();
});

describe('T7: tokens are signed and verified by jose', () => {
  it('T7: token code imports jose and holds no hand-written JWS (no node:crypto HMAC)', () => {
    const source = fs.readFileSync(path.resolve('lib/crypto/tokens.ts'), 'utf8');
    expect(source).toMatch(/from 'jose'/);
    expect(source).not.toMatch(/createHmac|node:crypto|timingSafeEqual/);
  });

  it('T7: a token is verified by jwtVerify with HS256, typ, audience, issuer, required claims and the tolerance pinned, the key chosen by kid', async () => {
    for (const kind of ['access', 'refresh'] as const) {
      const token = await signToken(getKeyring(), kind, input());
      expect(jose.decodeProtectedHeader(token)).toEqual({ alg: 'HS256', kid: 't2', typ: `signet-${kind}+jwt` });
      jwtVerify.mockClear();
      expect(await verifyToken(getKeyring(), kind, token, NOW)).toMatchObject({ sub: 'user-1', aud: `signet:${kind}` });
      expect(jwtVerify).toHaveBeenCalledTimes(1);
      const [passed, key, options] = jwtVerify.mock.calls[0] ?? [];
      expect(passed).toBe(token);
      expect(typeof key).toBe('function'); // a resolver: the key comes from the keyring by kid, never from the token
      expect(options).toEqual({
        algorithms: ['HS256'],
        typ: `signet-${kind}+jwt`,
        audience: `signet:${kind}`,
        issuer: 'signet',
        requiredClaims: ['iss', 'sub', 'aud', 'jti', 'iat', 'exp'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: NOW,
      });
    }
  });

  it('T7: a returning access token is answered by the memo, not by jose; its times are still checked', async () => {
    const token = await signToken(getKeyring(), 'access', input());
    expect(await verifyToken(getKeyring(), 'access', token, NOW)).not.toBeNull();
    expect(await verifyToken(getKeyring(), 'access', token, at(NOW, 60))).not.toBeNull();
    expect(await verifyToken(getKeyring(), 'access', token, at(NOW, 120))).not.toBeNull();
    expect(jwtVerify).toHaveBeenCalledTimes(1);
    expect(await verifyToken(getKeyring(), 'access', token, at(NOW, 900 + CLOCK_TOLERANCE_SECONDS + 1))).toBeNull();
    expect(await verifyToken(getKeyring(), 'access', token, at(NOW, -CLOCK_TOLERANCE_SECONDS - 60))).toBeNull();
    expect(jwtVerify).toHaveBeenCalledTimes(1);
  });

  it('T7: refresh tokens, and tokens jose refused, are never remembered', async () => {
    const refresh = await signToken(getKeyring(), 'refresh', input());
    await verifyToken(getKeyring(), 'refresh', refresh, NOW);
    await verifyToken(getKeyring(), 'refresh', refresh, NOW);
    expect(jwtVerify).toHaveBeenCalledTimes(2);
    const other = parseKeyring(generateKeyEntry('t2'));
    const forged = await signToken(other, 'access', input());
    expect(await verifyToken(getKeyring(), 'access', forged, NOW)).toBeNull();
    expect(await verifyToken(getKeyring(), 'access', forged, NOW)).toBeNull();
    expect(jwtVerify).toHaveBeenCalledTimes(4);
  });

  it('T7: the memo is bounded: past its size the least recently used token is verified by jose again', async () => {
    const keyring = parseKeyring(generateKeyEntry('memo'));
    const first = await signToken(keyring, 'access', input());
    expect(await verifyToken(keyring, 'access', first, NOW)).not.toBeNull();
    for (let i = 0; i < MEMO_SIZE + 50; i += 1) await verifyToken(keyring, 'access', await signToken(keyring, 'access', input()), NOW);
    jwtVerify.mockClear();
    expect(await verifyToken(keyring, 'access', first, NOW)).not.toBeNull();
    expect(jwtVerify).toHaveBeenCalledTimes(1);
  }, 60_000);
});
