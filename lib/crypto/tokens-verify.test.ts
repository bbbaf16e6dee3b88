import { describe, expect, it } from 'vitest';
import { at } from '@/test/helpers';
import { forge, TYP } from '@/test/security/forge';
import { randomId } from '../ids';
import { generateKeyEntry, getKeyring, parseKeyring } from './keys';
import { signToken, verifyToken, type TokenKind } from './tokens';

/**
 * How the token module reads what it is handed, beyond the rules SECURITY.md names (those are
 * proven against the whole session check in test/security/tokens.test.ts): another spelling of a
 * valid header still verifies, every one-character change is refused, only JSON objects are read,
 * and the memo of verified access tokens answers only for the exact string, only under the keyring
 * that verified it, only for its own kind.
 */
const NOW = new Date('2031-05-01T09:00:00.000Z');
const NOW_S = NOW.getTime() / 1000;
const secret = (): Uint8Array => getKeyring().current.secret;
const handMade = (header: unknown, payload: unknown, key: Uint8Array = secret()): string => forge(header, payload, key);

const header = (kind: TokenKind = 'access', extra: Record<string, unknown> = {}) => ({ alg: 'HS256', kid: 't2', typ: TYP[kind], ...extra });
const claims = (kind: TokenKind = 'access', extra: Record<string, unknown> = {}) => ({
  iss: 'signet',
  aud: `signet:${kind}`,
  sub: 'user-1',
  jti: randomId(),
  iat: NOW_S,
  exp: NOW_S + 900,
  ...(kind === 'refresh' ? { gen: 0 } : {}),
  ...extra,
});
const verify = (token: string, kind: TokenKind = 'access', now = NOW) => verifyToken(getKeyring(), kind, token, now);

describe('tokens: other spellings of a valid token', () => {
  it('another spelling of a valid header (key order) is accepted, as is a token signed by an older key', async () => {
    const reordered = handMade({ typ: TYP.access, kid: 't2', alg: 'HS256' }, claims('access', { sub: 'user-5' }));
    expect((await verify(reordered))?.sub).toBe('user-5');
    const t1 = getKeyring().byKid.get('t1');
    if (!t1) throw new Error('the test keyring has no t1');
    const olderKey = handMade({ kid: 't1', typ: TYP.access, alg: 'HS256' }, claims('access', { sub: 'user-6' }), t1.secret);
    expect((await verify(olderKey))?.sub).toBe('user-6');
  });

  it('every single-character change of a valid token is refused', async () => {
    const token = handMade(header(), claims());
    expect(await verify(token)).not.toBeNull();
    let accepted = 0;
    for (let i = 0; i < token.length; i += 1) {
      for (const replacement of 'AQgw_-.=+/ ') {
        if (token[i] === replacement) continue;
        if (await verify(`${token.slice(0, i)}${replacement}${token.slice(i + 1)}`)) accepted += 1;
      }
    }
    // The canonical-signature rule closes the spare-bit leniency of jose's base64url decoder.
    expect(accepted).toBe(0);
  });
});

describe('tokens: only JSON objects are read', () => {
  it('a header or payload that is not a JSON object gives null, even when correctly signed', async () => {
    expect(await verify(handMade([header()], claims()))).toBeNull();
    expect(await verify(handMade('HS256', claims()))).toBeNull();
    expect(await verify(handMade(header(), [claims()]))).toBeNull();
    expect(await verify(handMade(header(), null))).toBeNull();
  });
});

describe('tokens: a verified access token is remembered by its exact string, per keyring', () => {
  it('after a valid token is verified (and remembered), every single-character change of it is still refused', async () => {
    const token = handMade(header(), claims());
    const first = await verify(token);
    expect(first).not.toBeNull();
    // Remembered: the same string is answered with the very claims object verified the first time.
    expect(await verify(token)).toBe(first);
    let accepted = 0;
    for (let i = 0; i < token.length; i += 1) {
      for (const replacement of 'AQgw_-.') {
        if (token[i] === replacement) continue;
        if (await verify(`${token.slice(0, i)}${replacement}${token.slice(i + 1)}`)) accepted += 1;
      }
    }
    expect(accepted).toBe(0);
    expect(await verify(`${token} `)).toBeNull();
  });

  it('a token remembered under one keyring is refused by a keyring without its key (retiring a key forgets its tokens)', async () => {
    const before = parseKeyring(`${generateKeyEntry('new')},${generateKeyEntry('old')}`);
    const old = before.byKid.get('old');
    if (!old) throw new Error('keyring without old');
    const token = await signToken({ current: old, byKid: before.byKid }, 'access', { sessionId: randomId(), userId: 'u', issuedAt: NOW, expiresAt: at(NOW, 900) });
    expect(await verifyToken(before, 'access', token, NOW)).not.toBeNull();
    const after = parseKeyring(`new:${Buffer.from(before.current.secret).toString('base64url')}`);
    expect(await verifyToken(after, 'access', token, NOW)).toBeNull();
  });

  it('the memo answers for its own kind only: a remembered access token is refused as a refresh token, a verified refresh token as an access token', async () => {
    const access = await signToken(getKeyring(), 'access', { sessionId: randomId(), userId: 'u', issuedAt: NOW, expiresAt: at(NOW, 60) });
    const remembered = await verify(access, 'access');
    expect(remembered).not.toBeNull();
    expect(await verify(access, 'access')).toBe(remembered);
    expect(await verify(access, 'refresh')).toBeNull();

    const refresh = await signToken(getKeyring(), 'refresh', { sessionId: randomId(), userId: 'u', generation: 1, issuedAt: NOW, expiresAt: at(NOW, 60) });
    expect(await verify(refresh, 'access')).toBeNull();
    expect((await verifyToken(getKeyring(), 'refresh', refresh, NOW))?.gen).toBe(1);
    expect(await verify(refresh, 'access')).toBeNull();
  });
});
