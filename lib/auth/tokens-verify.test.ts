import { createHmac, randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { at } from '@/test/helpers';
import { randomId } from '../ids';
import { generateKeyEntry, getKeyring, parseKeyring } from './keys';
import { CLOCK_TOLERANCE_SECONDS, encodedHeader, MEMO_SIZE, rememberedTokenCount, signToken, signTokenNow, verifyToken, verifyTokenNow, type TokenKind } from './tokens';

/**
 * Signet signs and verifies its tokens itself, synchronously over node:crypto (jose 6 only works
 * through async WebCrypto). jose stays as the reference: what signToken writes passes jwtVerify,
 * and whatever verifyToken accepts, jwtVerify with the same options accepts too. The other cases
 * pin what verifyToken adds to jwtVerify's rules.
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

/** jose's verdict on the same token with the options Signet used with it before. */
async function joseAccepts(token: string, kind: TokenKind = 'access', now = NOW): Promise<boolean> {
  try {
    await jwtVerify(token, secret(), {
      algorithms: ['HS256'],
      typ: TYP[kind],
      audience: `signet:${kind}`,
      issuer: 'signet',
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: now,
      requiredClaims: ['iss', 'sub', 'aud', 'jti', 'iat', 'exp'],
    });
    return true;
  } catch {
    return false;
  }
}

describe('tokens: the synchronous verifier agrees with jose', () => {
  it('a token signed by jose verifies, and one signed by signToken passes jose', async () => {
    const byJose = await new SignJWT(claims('access', { sub: 'user-9' })).setProtectedHeader(header()).sign(secret());
    expect((await verify(byJose))?.sub).toBe('user-9');
    for (const kind of ['access', 'refresh'] as const) {
      const ours = await signToken(getKeyring(), kind, { sessionId: randomId(), userId: 'user-3', generation: 4, issuedAt: NOW, expiresAt: at(NOW, 60) });
      expect(await joseAccepts(ours, kind)).toBe(true);
      expect(await joseAccepts(ours, kind === 'access' ? 'refresh' : 'access')).toBe(false);
    }
    const refresh = await signToken(getKeyring(), 'refresh', { sessionId: randomId(), userId: 'user-3', generation: 4, issuedAt: NOW, expiresAt: at(NOW, 60) });
    expect((await verifyToken(getKeyring(), 'refresh', refresh, NOW))?.gen).toBe(4);
  });

  it('never accepts a token jose refuses: every single-character change of a valid token', async () => {
    const token = handMade(header(), claims());
    const alphabet = 'AQgw_-.=+/ ';
    let accepted = 0;
    for (let i = 0; i < token.length; i += 1) {
      for (const replacement of alphabet) {
        if (token[i] === replacement) continue;
        const changed = `${token.slice(0, i)}${replacement}${token.slice(i + 1)}`;
        if (await verify(changed)) {
          accepted += 1;
          expect(await joseAccepts(changed)).toBe(true);
        }
      }
    }
    // Only the exact token passes: the canonical-signature rule closes jose's spare-bit leniency.
    expect(accepted).toBe(0);
  });
});

describe('tokens: the header fast path', () => {
  it('signToken writes exactly the header the fast path looks up', async () => {
    for (const kind of ['access', 'refresh'] as const) {
      const token = await signToken(getKeyring(), kind, { sessionId: randomId(), userId: 'u', generation: 1, issuedAt: NOW, expiresAt: at(NOW, 60) });
      expect(token.split('.')[0]).toBe(encodedHeader(getKeyring().current, kind));
    }
  });

  it('another spelling of a valid header is checked in full and accepted, as jose would', async () => {
    const reordered = handMade({ typ: TYP.access, kid: 't2', alg: 'HS256' }, claims('access', { sub: 'user-5' }));
    expect(reordered.split('.')[0]).not.toBe(encodedHeader(getKeyring().current, 'access'));
    expect(await joseAccepts(reordered)).toBe(true);
    expect((await verify(reordered))?.sub).toBe('user-5');
    const olderKey = handMade({ kid: 't1', typ: TYP.access, alg: 'HS256' }, claims('access', { sub: 'user-6' }), getKeyring().byKid.get('t1')?.secret);
    expect((await verify(olderKey))?.sub).toBe('user-6');
  });

  it('a header from the other kind is not a fast-path hit for this kind', async () => {
    const refresh = await signToken(getKeyring(), 'refresh', { sessionId: randomId(), userId: 'u', generation: 0, issuedAt: NOW, expiresAt: at(NOW, 60) });
    expect(verifyTokenNow(getKeyring(), 'access', refresh, NOW)).toBeNull();
    expect(verifyTokenNow(getKeyring(), 'refresh', refresh, NOW)).not.toBeNull();
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
  it('a crit header is refused, even with a valid signature and a known extension name', async () => {
    expect(await verify(handMade(header('access', { crit: ['b64'], b64: true }), claims()))).toBeNull();
    expect(await verify(handMade(header('access', { crit: [] }), claims()))).toBeNull();
  });

  it('only the canonical spelling of the signature is accepted (its two spare bits are zero)', async () => {
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
    expect(await verify(handMade(header(), claims('access', { nbf: NOW_S + 60 })))).toBeNull();
    expect(await verify(handMade(header(), claims('access', { nbf: NOW_S - 60 })))).not.toBeNull();
    expect(await verify(handMade(header(), claims('access', { nbf: 'soon' })))).toBeNull();
  });

  it('T1/T2: the typ must match exactly (no case folding, no application/ prefix)', async () => {
    for (const typ of ['SIGNET-ACCESS+JWT', 'application/signet-access+jwt', 'JWT', undefined]) {
      expect(await verify(handMade(header('access', { typ }), claims()))).toBeNull();
    }
  });

  it('T2: a kid that names no key gives null without computing anything for it', async () => {
    expect(await verify(handMade(header('access', { kid: 'retired' }), claims()))).toBeNull();
    expect(await verify(handMade(header('access', { kid: 't1' }), claims(), randomBytes(32)))).toBeNull();
  });
});

describe('tokens: a verified access token is remembered, its times are not', () => {
  it('T4: a token verified once is refused once it expires and before its iat, whatever was remembered', () => {
    const token = handMade(header(), claims('access', { iat: NOW_S, exp: NOW_S + 900 }));
    const keyring = getKeyring();
    expect(verifyTokenNow(keyring, 'access', token, NOW)).not.toBeNull();
    expect(verifyTokenNow(keyring, 'access', token, at(NOW, 900 + CLOCK_TOLERANCE_SECONDS + 1))).toBeNull();
    expect(verifyTokenNow(keyring, 'access', token, at(NOW, -CLOCK_TOLERANCE_SECONDS - 60))).toBeNull();
    expect(verifyTokenNow(keyring, 'access', token, at(NOW, 60))).not.toBeNull();
  });

  it('only the exact string is remembered: after a valid token is verified, every single-character change of it is refused', () => {
    const token = handMade(header(), claims());
    expect(verifyTokenNow(getKeyring(), 'access', token, NOW)).not.toBeNull();
    let accepted = 0;
    for (let i = 0; i < token.length; i += 1) {
      for (const replacement of 'AQgw_-.') {
        if (token[i] === replacement) continue;
        if (verifyTokenNow(getKeyring(), 'access', `${token.slice(0, i)}${replacement}${token.slice(i + 1)}`, NOW)) accepted += 1;
      }
    }
    expect(accepted).toBe(0);
    expect(verifyTokenNow(getKeyring(), 'access', `${token} `, NOW)).toBeNull();
  });

  it('T2: a token remembered under one keyring is refused by a keyring without its key (retiring a key forgets its tokens)', () => {
    const before = parseKeyring(`${generateKeyEntry('new')},${generateKeyEntry('old')}`);
    const old = before.byKid.get('old');
    if (!old) throw new Error('keyring without old');
    const token = signTokenNow({ current: old, byKid: before.byKid }, 'access', { sessionId: randomId(), userId: 'u', issuedAt: NOW, expiresAt: at(NOW, 900) });
    expect(verifyTokenNow(before, 'access', token, NOW)).not.toBeNull();
    const after = parseKeyring(`new:${Buffer.from(before.current.secret).toString('base64url')}`);
    expect(verifyTokenNow(after, 'access', token, NOW)).toBeNull();
  });

  it('stays bounded: past its size the least recently used tokens are forgotten (and verified in full again)', () => {
    const keyring = parseKeyring(generateKeyEntry('memo'));
    const sign = () => signTokenNow(keyring, 'access', { sessionId: randomId(), userId: 'u', issuedAt: NOW, expiresAt: at(NOW, 900) });
    const first = sign();
    expect(verifyTokenNow(keyring, 'access', first, NOW)).not.toBeNull();
    for (let i = 0; i < MEMO_SIZE + 50; i += 1) verifyTokenNow(keyring, 'access', sign(), NOW);
    expect(rememberedTokenCount(keyring)).toBeLessThanOrEqual(MEMO_SIZE);
    expect(rememberedTokenCount(keyring)).toBeGreaterThanOrEqual(MEMO_SIZE / 2);
    expect(verifyTokenNow(keyring, 'access', first, NOW)).not.toBeNull();
  });

  it('refresh tokens are never remembered (each is used once)', () => {
    const keyring = parseKeyring(generateKeyEntry('once'));
    const refresh = signTokenNow(keyring, 'refresh', { sessionId: randomId(), userId: 'u', generation: 0, issuedAt: NOW, expiresAt: at(NOW, 900) });
    expect(verifyTokenNow(keyring, 'refresh', refresh, NOW)).not.toBeNull();
    expect(rememberedTokenCount(keyring)).toBe(0);
  });
});
