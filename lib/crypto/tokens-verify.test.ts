import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { at } from '@/test/helpers';
import { randomId } from '../ids';
import { generateKeyEntry, getKeyring, parseKeyring } from './keys';
import { CLOCK_TOLERANCE_SECONDS, signToken, verifyToken, type TokenKind } from './tokens';

/**
 * What Signet refuses beyond jose's own rules (SECURITY.md T1, T2, T4, W4): other serializations
 * and spellings of a token, `crit`, a `typ` that only matches after case folding, and how the memo
 * of verified access tokens answers: only for the exact string, only under the keyring that
 * verified it. Each refusal is shown next to the genuine token it was made from being accepted.
 */
const NOW = new Date('2031-05-01T09:00:00.000Z');
const NOW_S = NOW.getTime() / 1000;
const TYP = { access: 'signet-access+jwt', refresh: 'signet-refresh+jwt' } as const;
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const secret = (): Uint8Array => getKeyring().current.secret;

function handMade(header: unknown, payload: unknown, key: Uint8Array = secret()): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
}

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
    const olderKey = handMade({ kid: 't1', typ: TYP.access, alg: 'HS256' }, claims('access', { sub: 'user-6' }), getKeyring().byKid.get('t1')?.secret);
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

describe('tokens: structure is checked before any cryptography', () => {
  it.each([
    ['four segments', (t: string) => `${t}.AAAA`],
    ['an empty payload', (t: string) => t.replace(/\.[^.]+\./, '..')],
    ['padding on the signature', (t: string) => `${t}=`],
    ['a truncated signature', (t: string) => t.slice(0, -1)],
    ['a space inside', (t: string) => t.replace('.', ' .')],
    ['standard base64 characters', (t: string) => t.replace(/-/g, '+').replace(/_/g, '/')],
  ])('W4: %s gives null', async (_label, mangle) => {
    let token = handMade(header(), claims());
    while (!/[-_]/.test(token)) token = handMade(header(), claims()); // so the base64 case changes something
    expect(await verify(token)).not.toBeNull();
    expect(await verify(mangle(token))).toBeNull();
  });

  it('a header or payload that is not a JSON object gives null, even when correctly signed', async () => {
    expect(await verify(handMade([header()], claims()))).toBeNull();
    expect(await verify(handMade('HS256', claims()))).toBeNull();
    expect(await verify(handMade(header(), [claims()]))).toBeNull();
    expect(await verify(handMade(header(), null))).toBeNull();
  });
});

describe('tokens: rules beyond the basic claims', () => {
  it('T1: a crit header is refused, even with a valid signature and an extension name jose knows', async () => {
    expect(await verify(handMade(header('access', { crit: ['b64'], b64: true }), claims()))).toBeNull();
    expect(await verify(handMade(header('access', { crit: [] }), claims()))).toBeNull();
  });

  it('T1: only the canonical spelling of the signature is accepted (its two spare bits are zero)', async () => {
    const token = handMade(header(), claims());
    const last = token.at(-1) ?? 'A';
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[alphabet.indexOf(last) + 1] ?? 'A';
    const variant = `${token.slice(0, -1)}${sibling}`;
    expect(Buffer.from(variant.split('.')[2] ?? '', 'base64url').equals(Buffer.from(token.split('.')[2] ?? '', 'base64url'))).toBe(true);
    expect(await verify(token)).not.toBeNull();
    expect(await verify(variant)).toBeNull();
  });

  it(`T4: nbf later than now + ${CLOCK_TOLERANCE_SECONDS} s is refused; an earlier nbf is accepted`, async () => {
    expect(await verify(handMade(header(), claims('access', { nbf: NOW_S + CLOCK_TOLERANCE_SECONDS + 1 })))).toBeNull();
    expect(await verify(handMade(header(), claims('access', { nbf: NOW_S + 60 })))).toBeNull();
    expect(await verify(handMade(header(), claims('access', { nbf: NOW_S + CLOCK_TOLERANCE_SECONDS - 1 })))).not.toBeNull();
    expect(await verify(handMade(header(), claims('access', { nbf: NOW_S - 60 })))).not.toBeNull();
    expect(await verify(handMade(header(), claims('access', { nbf: 'soon' })))).toBeNull();
  });

  it('T1/T2: the typ must match exactly (no case folding, no application/ prefix)', async () => {
    for (const typ of ['SIGNET-ACCESS+JWT', 'application/signet-access+jwt', 'JWT', undefined]) {
      expect(await verify(handMade(header('access', { typ }), claims()))).toBeNull();
    }
  });

  it('T2: a kid that names no key, or a known kid with another secret, gives null', async () => {
    expect(await verify(handMade(header('access', { kid: 'retired' }), claims()))).toBeNull();
    expect(await verify(handMade(header('access', { kid: 't1' }), claims(), randomBytes(32)))).toBeNull();
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

  it('T2: a token remembered under one keyring is refused by a keyring without its key (retiring a key forgets its tokens)', async () => {
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
