import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateKeyEntry, getKeyring, MIN_SECRET_BYTES, parseKeyring, type Keyring } from '@/lib/crypto/keys';
import { getEnv, resetEnvForTests } from '@/lib/env';
import { randomId } from '@/lib/ids';
import { at, signIn, uniqueEmail } from '@/test/helpers';
import { check as checkAt, decode, flippedVariants, forge, resign, rotate as rotateAt, sessionRow, TYP } from './forge';

/**
 * T1–T6 and L8 against the whole check: every hostile token below carries the jti and sub of a
 * real, live session in a real database, so a refusal proves the token checks hold, not that the
 * row was missing. Each case also shows the victim's real token is accepted at the same instant.
 */

const NOW = new Date('2031-03-01T10:00:00.000Z');
const secret = (): Uint8Array => getKeyring().current.secret;
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

/** A refusal everywhere: as the access cookie, and at /refresh without touching the session. */
async function expectRefusedEverywhere(token: string, sessionId: string): Promise<void> {
  expect(await check(token)).toEqual({ status: 'none' });
  await expect(rotate(token)).resolves.toEqual({ ok: false, error: 'invalid' });
  await expectUntouched(sessionId);
}

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

  it('T1: algorithm confusion — an RS256 token whose public key is offered as an HMAC secret is rejected', async () => {
    const v = await victim();
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = Buffer.from(publicKey.export({ type: 'spki', format: 'pem' }));
    const jwk = publicKey.export({ format: 'jwk' });
    for (const alg of ['HS256', 'RS256']) {
      const token = resign(v.accessToken, pem, (p) => Object.assign(p.header, { alg, jwk }));
      await expectRefusedEverywhere(token, v.sessionId);
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

  it('T1: a crit header is rejected even when jose understands the extension it names (b64: true)', async () => {
    const v = await victim();
    for (const token of [v.accessToken, v.refreshToken]) {
      await expectRefusedEverywhere(resign(token, secret(), (p) => Object.assign(p.header, { b64: true, crit: ['b64'] })), v.sessionId);
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
    ['prototype', 'prototype'],
    ['a relative path', '../t2'],
    ['an absolute path', '/etc/passwd'],
    ['a path ending in a real kid', '../../keys/t2'],
    ['a NUL-suffixed real kid', 't2\u0000'],
    ['a differently cased real kid', 'T2'],
    ['a 10 KB string', 'k'.repeat(10 * 1024)],
    ['an empty string', ''],
    ['an array holding a real kid', ['t2']],
    ['an object', { toString: 't2' }],
    ['null', null],
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
});

describe('T3 access and refresh tokens cannot stand in for each other', () => {
  it('T3: the real refresh token presented as the access token is refused', async () => {
    const v = await victim();
    expect(await check(v.refreshToken)).toEqual({ status: 'none' });
    await expectUntouched(v.sessionId);
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
});

describe('T4 time and claims', () => {
  it('T4: an access token expired beyond the 5 s tolerance is refused; within it, accepted', async () => {
    const v = await victim();
    const exp = decode(v.accessToken).payload.exp as number;
    expect((await check(v.accessToken, getKeyring(), new Date((exp + 4) * 1000))).status).toBe('valid');
    expect(await check(v.accessToken, getKeyring(), new Date((exp + 6) * 1000))).toEqual({ status: 'none' });
  });

  it('T4: a token issued more than 5 s in the future is refused', async () => {
    const v = await victim();
    const ahead = resign(v.accessToken, secret(), (p) => void (p.payload.iat = (p.payload.iat as number) + 60));
    await expectRefusedEverywhere(ahead, v.sessionId);
  });

  it.each(['iss', 'sub', 'aud', 'jti', 'iat', 'exp'])('T4: a genuinely signed token without %s is refused', async (claim) => {
    const v = await victim();
    for (const token of [v.accessToken, v.refreshToken]) {
      await expectRefusedEverywhere(resign(token, secret(), (p) => void delete p.payload[claim]), v.sessionId);
    }
  });

  it.each<[string, unknown]>([
    ['exp as a string', 'exp'],
    ['iat as a float', 'iat'],
    ['sub as a number', 'sub'],
    ['jti as an object', 'jti'],
  ])('T4: %s is refused (the payload is validated, not cast)', async (_label, claim) => {
    const v = await victim();
    const wrong: Record<string, unknown> = { exp: String(NOW.getTime() / 1000 + 900), iat: NOW.getTime() / 1000 + 0.25, sub: 42, jti: { $ne: null } };
    const token = resign(v.accessToken, secret(), (p) => void (p.payload[claim as string] = wrong[claim as string]));
    await expectRefusedEverywhere(token, v.sessionId);
  });

  it.each<[string, unknown]>([
    ['missing', undefined],
    ['a string', '0'],
    ['negative', -1],
    ['fractional', 0.5],
    ['huge', Number.MAX_SAFE_INTEGER + 2],
  ])('T4: a refresh token whose gen is %s is refused', async (_label, gen) => {
    const v = await victim();
    await expectRefusedEverywhere(resign(v.refreshToken, secret(), (p) => void (p.payload.gen = gen)), v.sessionId);
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
  it('T5: secrets shorter than 256 bits, empty keyrings and non-base64url secrets are refused with a clear message', () => {
    expect(() => parseKeyring(`k1:${randomBytes(MIN_SECRET_BYTES - 1).toString('base64url')}`)).toThrow(/at least 256 random bits/);
    expect(() => parseKeyring('k1:')).toThrow(/SIGNET_KEYS/);
    expect(() => parseKeyring(' , ')).toThrow(/SIGNET_KEYS is empty/);
    expect(() => parseKeyring(`k1:${'a'.repeat(20)}+/=`)).toThrow(/not base64url/);
    expect(() => parseKeyring(`${generateKeyEntry('k1')},${generateKeyEntry('k1')}`)).toThrow(/appears twice/);
    expect(() => parseKeyring(generateKeyEntry('k1'))).not.toThrow();
    expect(parseKeyring(generateKeyEntry('k1')).current.secret.length * 8).toBeGreaterThanOrEqual(256);
  });

  it('T5: a keyring entry without its version is refused without echoing any of the secret', () => {
    const secret = randomBytes(32).toString('base64url');
    let message = '';
    try {
      parseKeyring(secret);
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }
    expect(message).toMatch(/entry 1 is not a valid key version/);
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
