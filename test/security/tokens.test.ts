import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateKeyEntry, getKeyring, MIN_SECRET_BYTES, parseKeyring, type Keyring } from '@/lib/crypto/keys';
import { verifyToken, type TokenKind } from '@/lib/crypto/tokens';
import { getEnv, resetEnvForTests } from '@/lib/env';
import { randomId } from '@/lib/ids';
import { at, signIn, uniqueEmail } from '@/test/helpers';
import { check as checkAt, decode, encode, flippedVariants, forge, resign, rotate as rotateAt, sessionRow, TYP } from './forge';

/**
 * T1–T6 and L8 against the whole check: every hostile token below carries the jti and sub of a
 * real, live session in a real database, so a refusal proves the token checks hold, not that the
 * row was missing. Each case also shows the victim's real token is accepted at the same instant.
 */

const NOW = new Date('2031-03-01T10:00:00.000Z');
const NOW_S = NOW.getTime() / 1000;
const secret = (): Uint8Array => getKeyring().current.secret;
/** The older key version of the test keyring (SIGNET_KEYS is t2, then t1). */
const olderSecret = (): Uint8Array => {
  const key = getKeyring().byKid.get('t1');
  if (!key) throw new Error('the test keyring has no t1');
  return key.secret;
};
/** The check and the refresh at NOW unless told otherwise, under the test keyring unless told otherwise. */
const check = (token: string | undefined, keyring: Keyring = getKeyring(), now = NOW) => checkAt(token, now, { keyring });
const rotate = (token: string | undefined, keyring: Keyring = getKeyring(), now = NOW) => rotateAt(token, now, { keyring });

async function victim() {
  const signedIn = await signIn(uniqueEmail('victim'), NOW);
  const { accessToken, refreshToken } = signedIn.tokens;
  expect((await check(accessToken)).status).toBe('valid');
  return { ...signedIn, accessToken, refreshToken };
}

/** The session is exactly as it was: not revoked, generation not moved. */
async function expectUntouched(sessionId: string): Promise<void> {
  const row = await sessionRow(sessionId);
  expect(row).toBeDefined();
  expect(row?.revokedAt).toBeNull();
  expect(row?.refreshGeneration).toBe(0);
}

/**
 * Refused by the token verifier itself. For a changed jti or sub the session lookup behind it
 * would refuse anyway, so this shows the claim check holds on its own.
 */
async function expectUnverifiable(token: string, kind: TokenKind): Promise<void> {
  expect(await verifyToken(getKeyring(), kind, token, NOW)).toBeNull();
}

/** A refusal everywhere: as the access cookie, and at /refresh without touching the session. */
async function expectRefusedEverywhere(token: string, sessionId: string): Promise<void> {
  expect(await check(token)).toEqual({ status: 'none' });
  await expect(rotate(token)).resolves.toEqual({ ok: false, error: 'invalid' });
  await expectUntouched(sessionId);
}

describe('the forging tools', () => {
  it('a real token re-signed with the real secret and nothing changed is accepted (so the refusals below mean something)', async () => {
    const v = await victim();
    const access = resign(v.accessToken, secret(), () => undefined);
    const refresh = resign(v.refreshToken, secret(), () => undefined);
    expect((await check(access)).status).toBe('valid');
    expect((await rotate(refresh)).ok).toBe(true);
  });
});

describe('T1 algorithms pinned per key', () => {
  it.each(['none', 'None', 'NONE', 'nOnE', 'NoNe'])('T1: alg %s is rejected, signed or unsigned', async (alg) => {
    const v = await victim();
    for (const kind of ['access', 'refresh'] as const) {
      const real = decode(kind === 'access' ? v.accessToken : v.refreshToken);
      const header = { ...real.header, alg };
      await expectRefusedEverywhere(forge(header, real.payload, null), v.sessionId);
      await expectRefusedEverywhere(forge(header, real.payload, secret()), v.sessionId);
    }
  });

  it.each([
    ['HS384', 'sha384'],
    ['HS512', 'sha512'],
    ['hs256', 'sha256'],
    ['HS256 ', 'sha256'],
    ['RS256', 'sha256'],
    ['ES256', 'sha256'],
    ['PS256', 'sha256'],
    ['EdDSA', 'sha256'],
  ])('T1: algorithm confusion — alg %s with an HMAC made from the real secret is rejected', async (alg, hash) => {
    const v = await victim();
    await expectRefusedEverywhere(resign(v.accessToken, secret(), (p) => void (p.header.alg = alg), hash), v.sessionId);
    await expectRefusedEverywhere(resign(v.refreshToken, secret(), (p) => void (p.header.alg = alg), hash), v.sessionId);
  });

  it('T1: algorithm confusion — an RS256 token, genuinely RSA-signed or with its public key offered as an HMAC secret, is rejected', async () => {
    const v = await victim();
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = Buffer.from(publicKey.export({ type: 'spki', format: 'pem' }));
    const jwk = publicKey.export({ format: 'jwk' });
    for (const alg of ['HS256', 'RS256']) {
      const token = resign(v.accessToken, pem, (p) => Object.assign(p.header, { alg, jwk }));
      await expectRefusedEverywhere(token, v.sessionId);
    }
    for (const real of [v.accessToken, v.refreshToken]) {
      const { header, payload } = decode(real);
      const input = `${encode({ ...header, alg: 'RS256' })}.${encode(payload)}`;
      const rsaSigned = `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
      await expectRefusedEverywhere(rsaSigned, v.sessionId);
    }
  });

  it('T1: flipping any single bit of any byte in the header, payload or signature is rejected', async () => {
    const v = await victim();
    for (const token of [v.accessToken, v.refreshToken]) {
      const variants = flippedVariants(token);
      expect(variants.length).toBeGreaterThan(200);
      for (const variant of variants) {
        expect(await check(variant)).toEqual({ status: 'none' });
        await expect(rotate(variant)).resolves.toEqual({ ok: false, error: 'invalid' });
      }
    }
    await expectUntouched(v.sessionId);
  });

  it('T1: the JWS JSON serializations of a genuinely signed token are rejected (compact only)', async () => {
    const v = await victim();
    for (const token of [v.accessToken, v.refreshToken]) {
      const [protectedHeader, payload, signature] = token.split('.');
      const flattened = JSON.stringify({ protected: protectedHeader, payload, signature });
      const general = JSON.stringify({ payload, signatures: [{ protected: protectedHeader, signature }] });
      for (const serialized of [flattened, general, Buffer.from(flattened).toString('base64url')]) {
        await expectRefusedEverywhere(serialized, v.sessionId);
      }
    }
  });

  it('T1: a crit header is rejected, whether empty or naming an extension jose understands (b64: true)', async () => {
    const v = await victim();
    for (const token of [v.accessToken, v.refreshToken]) {
      await expectRefusedEverywhere(resign(token, secret(), (p) => Object.assign(p.header, { b64: true, crit: ['b64'] })), v.sessionId);
      await expectRefusedEverywhere(resign(token, secret(), (p) => Object.assign(p.header, { crit: [] })), v.sessionId);
    }
  });

  it('T1: a genuine signature spelled non-canonically (a spare bit set in its last character) is rejected', async () => {
    const v = await victim();
    for (const token of [v.accessToken, v.refreshToken]) {
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const last = alphabet.indexOf(token.at(-1) ?? 'A');
      const sibling = `${token.slice(0, -1)}${alphabet[last + 1]}`;
      // The same 32 signature bytes, spelled differently.
      expect(Buffer.from(sibling.split('.')[2] ?? '', 'base64url')).toEqual(Buffer.from(token.split('.')[2] ?? '', 'base64url'));
      await expectRefusedEverywhere(sibling, v.sessionId);
    }
  });

  it('T1: an unencoded-payload (b64: false, crit) token is rejected', async () => {
    const v = await victim();
    const token = resign(v.accessToken, secret(), (p) => Object.assign(p.header, { b64: false, crit: ['b64'] }));
    await expectRefusedEverywhere(token, v.sessionId);
  });
});

describe('T2 kid looked up in a Map of known versions only', () => {
  const hostile: Array<[string, unknown]> = [
    ['__proto__', '__proto__'],
    ['constructor', 'constructor'],
    ['hasOwnProperty', 'hasOwnProperty'],
    ['toString', 'toString'],
    ['prototype', 'prototype'],
    ['a relative path', '../t2'],
    ['an absolute path', '/etc/passwd'],
    ['a path ending in a real kid', '../../keys/t2'],
    ['a NUL-suffixed real kid', 't2\u0000'],
    ['a differently cased real kid', 'T2'],
    ['a 10 KB string', 'k'.repeat(10 * 1024)],
    ['an empty string', ''],
    ['an array holding a real kid', ['t2']],
    ['a number', 2],
    ['an object', { toString: 't2' }],
    ['null', null],
    ['absent (no kid in the header)', undefined],
  ];

  it.each(hostile)('T2: kid of %s is rejected and nothing throws', async (_label, kid) => {
    const v = await victim();
    for (const token of [v.accessToken, v.refreshToken]) {
      await expectRefusedEverywhere(resign(token, secret(), (p) => void (p.header.kid = kid)), v.sessionId);
    }
  });

  it('T2: embedded jwk, jku, x5c and x5u naming an attacker key are ignored', async () => {
    const v = await victim();
    const attacker = randomBytes(32);
    const jwk = { kty: 'oct', k: attacker.toString('base64url'), alg: 'HS256' };
    const embedded: Array<Record<string, unknown>> = [
      { jwk },
      { jwk, kid: undefined },
      { jku: 'https://attacker.test/jwks.json' },
      { jku: 'https://attacker.test/jwks.json', kid: 'attacker' },
      { x5c: [randomBytes(64).toString('base64')] },
      { x5u: 'https://attacker.test/cert.pem' },
    ];
    for (const extra of embedded) {
      for (const token of [v.accessToken, v.refreshToken]) {
        await expectRefusedEverywhere(resign(token, attacker, (p) => Object.assign(p.header, extra)), v.sessionId);
      }
    }
  });

  it('T2: an embedded jwk does not change which key verifies: signed with the real secret, the token is accepted', async () => {
    const v = await victim();
    const jwk = { kty: 'oct', k: randomBytes(32).toString('base64url'), alg: 'HS256' };
    expect((await check(resign(v.accessToken, secret(), (p) => Object.assign(p.header, { jwk })))).status).toBe('valid');
    expect((await rotate(resign(v.refreshToken, secret(), (p) => Object.assign(p.header, { jwk })))).ok).toBe(true);
  });

  it('T2: the key is the one the kid names: a token signed with any other secret, or naming no known key, is rejected', async () => {
    const v = await victim();
    const wrongKeys: Array<[string, Uint8Array]> = [
      ['t2', randomBytes(32)],
      ['t1', randomBytes(32)],
      ['t1', secret()],
      ['t2', olderSecret()],
      ['retired', secret()],
    ];
    for (const [kid, key] of wrongKeys) {
      for (const token of [v.accessToken, v.refreshToken]) {
        await expectRefusedEverywhere(resign(token, key, (p) => void (p.header.kid = kid)), v.sessionId);
      }
    }
    // The older key under its own kid is accepted, so the t1 cases above fail on the key alone.
    expect((await check(resign(v.accessToken, olderSecret(), (p) => void (p.header.kid = 't1')))).status).toBe('valid');
  });
});

describe('T3 access and refresh tokens cannot stand in for each other', () => {
  it('T3: the real refresh token presented as the access token is refused', async () => {
    const v = await victim();
    expect(await check(v.refreshToken)).toEqual({ status: 'none' });
    await expectUntouched(v.sessionId);
    expect((await rotate(v.refreshToken)).ok).toBe(true);
  });

  it('T3: the real access token posted to refresh is refused and rotates nothing', async () => {
    const v = await victim();
    await expect(rotate(v.accessToken)).resolves.toEqual({ ok: false, error: 'invalid' });
    await expectUntouched(v.sessionId);
    expect((await rotate(v.refreshToken)).ok).toBe(true);
  });

  it('T3: swapping only typ, or only the audience, passes as neither kind', async () => {
    const v = await victim();
    const swapTyp = (token: string, typ: string) => resign(token, secret(), (p) => void (p.header.typ = typ));
    const swapAud = (token: string, aud: string) => resign(token, secret(), (p) => void (p.payload.aud = aud));
    const refreshWithGen = (token: string) => resign(token, secret(), (p) => void (p.payload.gen = 0));
    const mixed = [
      swapTyp(v.accessToken, TYP.refresh),
      swapAud(v.accessToken, 'signet:refresh'),
      refreshWithGen(swapTyp(v.accessToken, TYP.refresh)),
      swapTyp(v.refreshToken, TYP.access),
      swapAud(v.refreshToken, 'signet:access'),
    ];
    for (const token of mixed) {
      const claims = decode(token);
      const isAccessShape = claims.header.typ === TYP.access && claims.payload.aud === 'signet:access';
      const isRefreshShape = claims.header.typ === TYP.refresh && claims.payload.aud === 'signet:refresh';
      expect(isAccessShape || isRefreshShape).toBe(false);
      await expectRefusedEverywhere(token, v.sessionId);
    }
  });

  it('T3: the typ must match exactly (no case folding, no application/ prefix, not plain JWT, not missing)', async () => {
    const v = await victim();
    for (const [token, typ] of [[v.accessToken, TYP.access], [v.refreshToken, TYP.refresh]] as const) {
      for (const spelling of [typ.toUpperCase(), `application/${typ}`, 'JWT', undefined]) {
        await expectRefusedEverywhere(resign(token, secret(), (p) => void (p.header.typ = spelling)), v.sessionId);
      }
    }
  });
});

describe('T4 time and claims', () => {
  it('T4: an access token expired beyond the 5 s tolerance is refused; within it, accepted', async () => {
    const v = await victim();
    const exp = decode(v.accessToken).payload.exp as number;
    expect((await check(v.accessToken, getKeyring(), new Date((exp + 4) * 1000))).status).toBe('valid');
    expect(await check(v.accessToken, getKeyring(), new Date((exp + 6) * 1000))).toEqual({ status: 'none' });
  });

  it('T4: a token issued more than 5 s in the future is refused; up to 5 s ahead, accepted', async () => {
    const v = await victim();
    const issuedAhead = (seconds: number) => resign(v.accessToken, secret(), (p) => void (p.payload.iat = NOW_S + seconds));
    await expectRefusedEverywhere(issuedAhead(60), v.sessionId);
    await expectRefusedEverywhere(issuedAhead(6), v.sessionId);
    expect((await check(issuedAhead(4))).status).toBe('valid');
  });

  it('T4: an nbf more than 5 s ahead is refused; up to 5 s ahead or in the past, accepted', async () => {
    const v = await victim();
    const notBefore = (nbf: unknown) => resign(v.accessToken, secret(), (p) => void (p.payload.nbf = nbf));
    for (const nbf of [NOW_S + 6, NOW_S + 60, 'soon']) await expectRefusedEverywhere(notBefore(nbf), v.sessionId);
    for (const nbf of [NOW_S + 4, NOW_S - 60]) expect((await check(notBefore(nbf))).status).toBe('valid');
  });

  it.each(['iss', 'sub', 'aud', 'jti', 'iat', 'exp'])('T4: a genuinely signed token without %s is refused', async (claim) => {
    const v = await victim();
    for (const [token, kind] of [[v.accessToken, 'access'], [v.refreshToken, 'refresh']] as const) {
      const without = resign(token, secret(), (p) => void delete p.payload[claim]);
      await expectUnverifiable(without, kind);
      await expectRefusedEverywhere(without, v.sessionId);
    }
  });

  it.each<[string, Record<string, unknown>]>([
    ['exp as a string', { exp: String(NOW_S + 900) }],
    ['iat as a float', { iat: NOW_S + 0.25 }],
    ['sub as a number', { sub: 42 }],
    ['sub empty', { sub: '' }],
    ['jti as an object', { jti: { $ne: null } }],
    ['jti as a number', { jti: 12345678901234567890 }],
    ['jti too short', { jti: 'abc' }],
    ['iss naming another issuer', { iss: 'someone-else' }],
    ['aud as an array naming both kinds', { aud: ['signet:access', 'signet:refresh'] }],
  ])('T4: %s is refused (the payload is validated, not cast)', async (_label, change) => {
    const v = await victim();
    const token = resign(v.accessToken, secret(), (p) => void Object.assign(p.payload, change));
    await expectUnverifiable(token, 'access');
    await expectRefusedEverywhere(token, v.sessionId);
  });

  it.each<[string, unknown]>([
    ['missing', undefined],
    ['a string', '0'],
    ['negative', -1],
    ['fractional', 0.5],
    ['huge', Number.MAX_SAFE_INTEGER + 2],
    ['one and a half', 1.5],
  ])('T4: a refresh token whose gen is %s is refused', async (_label, gen) => {
    const v = await victim();
    const token = resign(v.refreshToken, secret(), (p) => void (p.payload.gen = gen));
    await expectUnverifiable(token, 'refresh');
    await expectRefusedEverywhere(token, v.sessionId);
  });

  it("T4: a genuinely signed token naming the victim's jti with another user's sub is refused", async () => {
    const v = await victim();
    const other = await signIn(uniqueEmail('other'), NOW);
    const token = resign(v.accessToken, secret(), (p) => void (p.payload.sub = other.userId));
    expect(await check(token)).toEqual({ status: 'none' });
    const refresh = resign(v.refreshToken, secret(), (p) => void (p.payload.sub = other.userId));
    await expect(rotate(refresh)).resolves.toEqual({ ok: false, error: 'invalid' });
    await expectUntouched(v.sessionId);
  });
});

describe('T5 key strength', () => {
  const bytes = (count: number): string => randomBytes(count).toString('base64url');

  it('T5: a secret shorter than 256 bits is refused with a message naming the entry, its size and the floor; exactly 256 bits is accepted', () => {
    expect(() => parseKeyring(`short:${bytes(MIN_SECRET_BYTES - 1)}`)).toThrow(/short has 248 bits; at least 256 random bits/);
    expect(() => parseKeyring(`v2:${bytes(32)},v1:${bytes(16)}`)).toThrow(/v1 has 128 bits/);
    expect(parseKeyring(`k:${bytes(32)}`).current.secret.length).toBe(32);
  });

  it.each(['', ' ', ',', ' , ,'])('T5: an empty keyring (%j) is refused', (spec) => {
    expect(() => parseKeyring(spec)).toThrow(/SIGNET_KEYS is empty/);
  });

  it.each([
    ['an empty version', `:${bytes(32)}`],
    ['a slash in the version', `a/b:${bytes(32)}`],
    ['a path as the version', `../x:${bytes(32)}`],
    ['a space in the version', `v 1:${bytes(32)}`],
    ['a 33-character version', `${'k'.repeat(33)}:${bytes(32)}`],
  ])('T5: a malformed key version (%s) is refused', (_label, spec) => {
    expect(() => parseKeyring(spec)).toThrow(/entry 1 is not a valid key version/);
  });

  it.each([
    ['empty', 'v1:'],
    ['standard base64 with +/', `v1:${randomBytes(33).toString('base64').replace(/[A-Za-z0-9]/, '+')}`],
    ['padded', `v1:${bytes(32)}=`],
    ['with +/= in it', `v1:${'a'.repeat(20)}+/=`],
    ['non-ASCII', `v1:${bytes(32)}é`],
  ])('T5: a secret that is not base64url (%s) is refused, naming its version', (_label, spec) => {
    expect(() => parseKeyring(spec)).toThrow(/the secret of v1 is not base64url/);
  });

  it('T5: a duplicate key version is refused', () => {
    expect(() => parseKeyring(`${generateKeyEntry('v1')},${generateKeyEntry('v1')}`)).toThrow(/v1 appears twice/);
  });

  it('T5: generateKeyEntry makes a parseable 256-bit entry, different every time', () => {
    const first = generateKeyEntry('v9');
    expect(first).toMatch(/^v9:[A-Za-z0-9_-]+$/);
    expect(first).not.toBe(generateKeyEntry('v9'));
    expect(parseKeyring(first).current.secret.length * 8).toBe(256);
  });

  it.each<[string, (secret: string) => string, RegExp]>([
    ['without its version', (secret) => secret, /entry 1 is not a valid key version/],
    ['with a secret under 256 bits', (secret) => `v1:${secret.slice(0, 27)}`, /the secret of v1 has 160 bits/],
  ])('T5: a keyring entry %s is refused without echoing any of the secret', (_label, entry, reason) => {
    const secret = bytes(32);
    let message = '';
    try {
      parseKeyring(entry(secret));
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }
    expect(message).toMatch(reason);
    for (let i = 0; i + 6 <= secret.length; i += 1) expect(message).not.toContain(secret.slice(i, i + 6));
  });

  it('T5: production configuration without SIGNET_KEYS is refused, naming the variable', () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, { NODE_ENV: 'production', SMTP_URL: 'smtp://127.0.0.1:1' });
      delete process.env.SIGNET_KEYS;
      resetEnvForTests();
      expect(() => getEnv()).toThrow(/production requires SIGNET_KEYS/);
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
      resetEnvForTests();
    }
  });
});

describe('T6 session ids', () => {
  it('T6: every session id carries at least 128 random bits, and none repeat', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 2000; i += 1) ids.add(randomId());
    expect(ids.size).toBe(2000);
    const v = await victim();
    for (const id of [...ids, v.sessionId]) {
      expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(Buffer.from(id, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    }
    // Each id bit is set about half the time across the sample: nothing fixed, nothing counter-like.
    const bits = new Array<number>(144).fill(0);
    for (const id of ids) {
      const bytes = Buffer.from(id, 'base64url');
      for (let b = 0; b < 144; b += 1) bits[b]! += ((bytes[b >> 3] ?? 0) >> (7 - (b & 7))) & 1;
    }
    for (const count of bits) {
      expect(count / ids.size).toBeGreaterThan(0.4);
      expect(count / ids.size).toBeLessThan(0.6);
    }
  });
});

describe('L8 tokens from a key the keyring no longer holds', () => {
  it('L8: an access or refresh token whose kid is not in the keyring is a clean "sign in again", never an error', async () => {
    const v = await victim();
    const withoutItsKey = parseKeyring(generateKeyEntry('t3'));
    expect(await check(v.accessToken, withoutItsKey)).toEqual({ status: 'none' });
    await expect(rotate(v.refreshToken, withoutItsKey)).resolves.toEqual({ ok: false, error: 'invalid' });
    await expectUntouched(v.sessionId);
  });

  it('L8: adding a newer key keeps sessions on the older key signed in, and their next refresh moves them to it', async () => {
    const v = await victim();
    const rotated = parseKeyring(`${generateKeyEntry('t9')},${process.env.SIGNET_KEYS ?? ''}`);
    expect((await check(v.accessToken, rotated)).status).toBe('valid');
    const refreshed = await rotate(v.refreshToken, rotated, at(NOW, 60));
    expect(refreshed.ok).toBe(true);
    if (!refreshed.ok) return;
    expect(decode(refreshed.tokens.accessToken).header.kid).toBe('t9');
    expect(decode(refreshed.tokens.refreshToken).header.kid).toBe('t9');
    expect((await sessionRow(v.sessionId))?.kid).toBe('t9');
    expect((await check(refreshed.tokens.accessToken, rotated, at(NOW, 61))).status).toBe('valid');
  });
});
