import { createHmac, randomBytes } from 'node:crypto';
import { generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { at, kidOf } from '@/test/helpers';
import { randomId } from '../ids';
import { getKeyring, parseKeyring } from './keys';
import { CLOCK_TOLERANCE_SECONDS, signToken, verifyToken, type TokenKind } from './tokens';

const NOW = new Date('2030-01-01T12:00:00.000Z');
const NOW_S = NOW.getTime() / 1000;
const TYP = { access: 'signet-access+jwt', refresh: 'signet-refresh+jwt' } as const;

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT assembled by hand, so a test controls every header and claim byte. */
function handMade(header: Record<string, unknown>, payload: Record<string, unknown>, secret: Uint8Array, hash = 'sha256'): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac(hash, secret).update(input).digest('base64url')}`;
}

function claims(kind: TokenKind, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base = { iss: 'signet', aud: `signet:${kind}`, sub: 'user-1', jti: randomId(), iat: NOW_S, exp: NOW_S + 900 };
  return { ...base, ...(kind === 'refresh' ? { gen: 0 } : {}), ...overrides };
}

const realSecret = (): Uint8Array => getKeyring().current.secret;
const header = (kind: TokenKind, extra: Record<string, unknown> = {}) => ({ alg: 'HS256', kid: 't2', typ: TYP[kind], ...extra });
const verifyAccess = (token: string, now = NOW) => verifyToken(getKeyring(), 'access', token, now);
const input = (expiresAt = at(NOW, 900), issuedAt = NOW) => ({ sessionId: randomId(), userId: 'user-1', generation: 3, issuedAt, expiresAt });

describe('tokens: sanity of the hand-made token builder', () => {
  it('a hand-made token with the right header, key and claims verifies (so refusals below mean something)', async () => {
    const token = handMade(header('access'), claims('access', { sub: 'user-42' }), realSecret());
    expect((await verifyAccess(token))?.sub).toBe('user-42');
    const refresh = handMade(header('refresh'), claims('refresh', { gen: 7 }), realSecret());
    expect((await verifyToken(getKeyring(), 'refresh', refresh, NOW))?.gen).toBe(7);
  });

  it('signToken round-trips its claims and names the signing key in kid', async () => {
    const data = input();
    const token = await signToken(getKeyring(), 'refresh', data);
    const verified = await verifyToken(getKeyring(), 'refresh', token, NOW);
    expect(verified).toMatchObject({ jti: data.sessionId, sub: 'user-1', gen: 3, iat: NOW_S, exp: NOW_S + 900 });
    expect(kidOf(token)).toBe('t2');
  });
});

describe('tokens: T3 kinds are mutually exclusive', () => {
  it('T3: a refresh token is refused as an access token', async () => {
    const token = await signToken(getKeyring(), 'refresh', input());
    expect(await verifyToken(getKeyring(), 'refresh', token, NOW)).not.toBeNull();
    expect(await verifyAccess(token)).toBeNull();
  });

  it('T3: an access token is refused as a refresh token', async () => {
    const token = await signToken(getKeyring(), 'access', input());
    expect(await verifyAccess(token)).not.toBeNull();
    expect(await verifyToken(getKeyring(), 'refresh', token, NOW)).toBeNull();
  });

  it('T3: typ and audience must both match (a mixed token passes as neither)', async () => {
    const accessTypRefreshAud = handMade(header('access'), claims('refresh'), realSecret());
    const refreshTypAccessAud = handMade(header('refresh'), claims('access'), realSecret());
    for (const token of [accessTypRefreshAud, refreshTypAccessAud]) {
      expect(await verifyAccess(token)).toBeNull();
      expect(await verifyToken(getKeyring(), 'refresh', token, NOW)).toBeNull();
    }
  });
});

describe('tokens: T1 algorithm pinning', () => {
  it.each(['none', 'None', 'NONE', 'nOnE'])('T1: alg %s is refused', async (alg) => {
    const unsigned = `${b64({ alg, kid: 't2', typ: TYP.access })}.${b64(claims('access'))}.`;
    expect(await verifyAccess(unsigned)).toBeNull();
    const signed = handMade({ alg, kid: 't2', typ: TYP.access }, claims('access'), realSecret());
    expect(await verifyAccess(signed)).toBeNull();
  });

  it('T1: an HS512 header is refused even with a valid HS512 signature from the real key', async () => {
    const token = handMade(header('access', { alg: 'HS512' }), claims('access'), realSecret(), 'sha512');
    expect(await verifyAccess(token)).toBeNull();
  });

  it('T1: an RS256 token is refused', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT(claims('access'))
      .setProtectedHeader({ alg: 'RS256', kid: 't2', typ: TYP.access })
      .sign(privateKey);
    expect(await verifyAccess(token)).toBeNull();
  });

  it('T1: a flipped signature byte is refused', async () => {
    const token = await signToken(getKeyring(), 'access', input());
    const [head, body, signature] = token.split('.') as [string, string, string];
    const bytes = Buffer.from(signature, 'base64url');
    bytes[0] = (bytes[0] ?? 0) ^ 0x01;
    expect(await verifyAccess(token)).not.toBeNull();
    expect(await verifyAccess(`${head}.${body}.${bytes.toString('base64url')}`)).toBeNull();
  });

  it('T1: a token signed with an unknown secret under a known kid is refused', async () => {
    expect(await verifyAccess(handMade(header('access'), claims('access'), randomBytes(32)))).toBeNull();
  });
});

describe('tokens: T2 kid lookup and embedded keys', () => {
  const hostileKids: Array<[string, unknown]> = [
    ['__proto__', '__proto__'],
    ['constructor', 'constructor'],
    ['toString', 'toString'],
    ['../x', '../x'],
    ['a 10 KB string', 'k'.repeat(10 * 1024)],
    ['a number', 2],
    ['an object', { t2: true }],
  ];

  it.each(hostileKids)('T2: kid of %s gives null and never throws', async (_label, kid) => {
    const token = handMade(header('access', { kid }), claims('access'), realSecret());
    await expect(verifyAccess(token)).resolves.toBeNull();
  });

  it('T2: a token without a kid gives null', async () => {
    const { kid: _omit, ...noKid } = header('access');
    await expect(verifyAccess(handMade(noKid, claims('access'), realSecret()))).resolves.toBeNull();
  });

  it('T2: a kid naming one key cannot be verified with another (t1 header, t2 signature)', async () => {
    expect(await verifyAccess(handMade(header('access', { kid: 't1' }), claims('access'), realSecret()))).toBeNull();
  });

  it('T2: a token signed with an attacker key carrying a jwk header is refused', async () => {
    const attacker = randomBytes(32);
    const jwk = { kty: 'oct', k: attacker.toString('base64url'), alg: 'HS256' };
    expect(await verifyAccess(handMade(header('access', { jwk }), claims('access'), attacker))).toBeNull();
    const { kid: _omit, ...noKid } = header('access', { jwk });
    expect(await verifyAccess(handMade(noKid, claims('access'), attacker))).toBeNull();
  });

  it('T2: jku and x5c headers are refused when the signature is the attacker’s', async () => {
    const attacker = randomBytes(32);
    const jku = handMade(header('access', { jku: 'https://evil.test/jwks.json' }), claims('access'), attacker);
    const x5c = handMade(header('access', { x5c: ['MIIBfake'] }), claims('access'), attacker);
    expect(await verifyAccess(jku)).toBeNull();
    expect(await verifyAccess(x5c)).toBeNull();
  });

  it('T2: an embedded jwk does not change which key verifies (real signature still decides)', async () => {
    const jwk = { kty: 'oct', k: randomBytes(32).toString('base64url') };
    const token = handMade(header('access', { jwk }), claims('access', { sub: 'user-7' }), realSecret());
    expect((await verifyAccess(token))?.sub).toBe('user-7');
  });
});

describe('tokens: T4 time and payload checks', () => {
  it(`T4: expired by less than the ${CLOCK_TOLERANCE_SECONDS} s tolerance is accepted, beyond it refused`, async () => {
    const token = await signToken(getKeyring(), 'access', input(NOW, at(NOW, -900)));
    expect(await verifyAccess(token, at(NOW, CLOCK_TOLERANCE_SECONDS - 1))).not.toBeNull();
    expect(await verifyAccess(token, at(NOW, CLOCK_TOLERANCE_SECONDS + 1))).toBeNull();
  });

  it('T4: a token issued in the future beyond the tolerance is refused, within it accepted', async () => {
    const ahead = await signToken(getKeyring(), 'access', input(at(NOW, 900), at(NOW, 60)));
    expect(await verifyAccess(ahead)).toBeNull();
    const slightlyAhead = await signToken(getKeyring(), 'access', input(at(NOW, 900), at(NOW, CLOCK_TOLERANCE_SECONDS - 1)));
    expect(await verifyAccess(slightlyAhead)).not.toBeNull();
  });

  const wrongAccess: Array<[string, Record<string, unknown>]> = [
    ['numeric sub', { sub: 123 }],
    ['empty sub', { sub: '' }],
    ['numeric jti', { jti: 12345678901234567890 }],
    ['short jti', { jti: 'abc' }],
    ['missing jti', { jti: undefined }],
    ['string exp', { exp: String(NOW_S + 900) }],
    ['missing exp', { exp: undefined }],
    ['fractional iat', { iat: NOW_S + 0.5 }],
    ['missing iat', { iat: undefined }],
    ['wrong issuer', { iss: 'someone-else' }],
    ['audience array', { aud: ['signet:access', 'signet:refresh'] }],
  ];
  it.each(wrongAccess)('T4: an access token with %s is refused', async (_label, override) => {
    expect(await verifyAccess(handMade(header('access'), claims('access', override), realSecret()))).toBeNull();
  });

  it.each([['string', '1'], ['negative', -1], ['fractional', 1.5], ['missing', undefined]])(
    'T4: a refresh token with a %s gen is refused',
    async (_label, gen) => {
      const token = handMade(header('refresh'), claims('refresh', { gen }), realSecret());
      expect(await verifyToken(getKeyring(), 'refresh', token, NOW)).toBeNull();
    },
  );

  it('W4: garbage, empty and oversized strings give null', async () => {
    for (const token of [undefined, '', 'a.b.c', '...', 'x'.repeat(5000), '\u0000.\u0000.\u0000']) {
      await expect(verifyToken(getKeyring(), 'access', token, NOW)).resolves.toBeNull();
    }
  });
});

describe('tokens: key versions', () => {
  it('a token signed by the older key t1 still verifies against the full keyring', async () => {
    const t1Entry = (process.env.SIGNET_KEYS ?? '').split(',').find((entry) => entry.startsWith('t1:'));
    const oldKeyring = parseKeyring(t1Entry ?? '');
    const token = await signToken(oldKeyring, 'access', input());
    expect(kidOf(token)).toBe('t1');
    expect(await verifyAccess(token)).not.toBeNull();
    // ...and a keyring that has dropped t2 refuses the newer key's tokens.
    expect(await verifyToken(oldKeyring, 'access', await signToken(getKeyring(), 'access', input()), NOW)).toBeNull();
  });
});
