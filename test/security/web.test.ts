import { NextResponse } from 'next/server';
import { describe, expect, it } from 'vitest';
import { checkAccessToken } from '@/lib/auth/check';
import { rotateRefreshToken } from '@/lib/auth/refresh';
import { DEVICE_LABEL_MAX, describeDevice, normalizeDeviceLabel } from '@/lib/auth/user-agent';
import { resetEnvForTests } from '@/lib/env';
import { challengeCookie, clearedSessionCookies, sessionCookies } from '@/lib/web/cookies';
import { signedOutCookies } from '@/lib/web/notice';
import { appOriginFor, isCrossSite, isCrossSiteRequest, readForm, safeNextPath } from '@/lib/web/request';
import { withCookies } from '@/lib/web/respond';
import { contextAt, signIn, uniqueEmail } from '@/test/helpers';

/**
 * W2–W4 at the edge helpers, with Next's own Request and response cookie serialisation, and W6 on
 * device labels. The same properties are attacked over HTTP against `next start` in
 * e2e/security/web.spec.ts and e2e/security/labels.spec.ts.
 */

const ORIGIN = 'http://signet.test'; // SIGNET_ORIGIN in test/setup.ts
const post = (headers: Record<string, string>, body?: BodyInit) => new Request(`${ORIGIN}/refresh`, { method: 'POST', headers, body });

describe('W2 cross-site requests to state-changing routes', () => {
  it.each<[string, Record<string, string>]>([
    ['another Origin', { origin: 'https://attacker.test' }],
    ['Origin: null', { origin: 'null' }],
    ['a look-alike Origin', { origin: 'http://signet.test.attacker.test' }],
    ['the same host on another port', { origin: 'http://signet.test:8080' }],
    ['the same host over https', { origin: 'https://signet.test' }],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site', { 'sec-fetch-site': 'same-site' }],
    ['Sec-Fetch-Site: none', { 'sec-fetch-site': 'none' }],
    ['a same-origin Origin but Sec-Fetch-Site: cross-site', { origin: ORIGIN, 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site: same-origin but another Origin', { origin: 'https://attacker.test', 'sec-fetch-site': 'same-origin' }],
  ])('W2: %s is refused', (_label, headers) => {
    expect(isCrossSiteRequest(post(headers))).toBe(true);
  });

  it.each<[string, Record<string, string>]>([
    ['a same-origin browser post', { origin: ORIGIN, 'sec-fetch-site': 'same-origin' }],
    ['a same-origin Origin alone', { origin: ORIGIN }],
    ['a non-browser client (no Origin, no Sec-Fetch-Site, no ambient cookies)', {}],
  ])('W2: %s is allowed', (_label, headers) => {
    expect(isCrossSiteRequest(post(headers))).toBe(false);
  });
});

describe('W2 cross-site calls to server actions', () => {
  // A server action sees only its headers: the same rule, with the origin taken from them.
  const action = (headers: Record<string, string>) => {
    const incoming = new Headers({ host: 'signet.test', ...headers });
    return isCrossSite(incoming, appOriginFor(incoming, 'http'));
  };

  it('W2: Sec-Fetch-Site naming another site is refused even without an Origin (Next itself checks only Origin)', () => {
    for (const site of ['cross-site', 'same-site', 'none']) expect(action({ 'sec-fetch-site': site })).toBe(true);
    for (const origin of ['https://attacker.test', 'null', 'https://signet.test']) expect(action({ origin })).toBe(true);
    expect(action({ origin: ORIGIN, 'sec-fetch-site': 'same-origin' })).toBe(false);
    expect(action({})).toBe(false);
  });

  it('W2: without SIGNET_ORIGIN (development) the Host the browser addressed is the origin', () => {
    const configured = process.env.SIGNET_ORIGIN;
    delete process.env.SIGNET_ORIGIN;
    resetEnvForTests();
    try {
      const dev = (headers: Record<string, string>) => {
        const incoming = new Headers({ host: 'localhost:3000', ...headers });
        return isCrossSite(incoming, appOriginFor(incoming, 'http'));
      };
      expect(dev({ origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin' })).toBe(false);
      expect(dev({ origin: 'http://attacker.test', 'sec-fetch-site': 'cross-site' })).toBe(true);
      expect(dev({ origin: 'http://127.0.0.1:3000' })).toBe(true);
      expect(isCrossSite(new Headers({ origin: 'http://localhost:3000' }), appOriginFor(new Headers(), 'http'))).toBe(true);
    } finally {
      process.env.SIGNET_ORIGIN = configured;
      resetEnvForTests();
    }
  });
});

describe('W3 cookie attributes', () => {
  it('W3: on https every cookie is __Host-, Secure, HttpOnly, SameSite=Lax, Path=/ with no Domain, and the response is no-store', async () => {
    const s = await signIn(uniqueEmail('https-cookies'));
    const now = new Date();
    const issued = withCookies(new NextResponse(null, { status: 204 }), [...sessionCookies(s.tokens, now, true), challengeCookie('c'.repeat(24), 600, true)]);
    const cleared = withCookies(new NextResponse(null, { status: 204 }), clearedSessionCookies(true));
    const headers = [...issued.headers.getSetCookie(), ...cleared.headers.getSetCookie()];
    expect(headers).toHaveLength(5);
    for (const header of headers) {
      expect(header).toMatch(/^__Host-signet_(at|rt|ch)=/);
      expect(header).toMatch(/; Secure/i);
      expect(header).toMatch(/; HttpOnly/i);
      expect(header).toMatch(/; SameSite=lax/i);
      expect(header).toMatch(/; Path=\/(;|$)/);
      expect(header).not.toMatch(/Domain=/i);
    }
    expect(issued.headers.get('cache-control')).toBe('no-store');
    expect(cleared.headers.get('cache-control')).toBe('no-store');
  });

  it('W3: on http the same attributes hold without Secure or the prefix', async () => {
    const s = await signIn(uniqueEmail('http-cookies'));
    const response = withCookies(new NextResponse(null), [...sessionCookies(s.tokens, new Date(), false), ...signedOutCookies(null)]);
    for (const header of response.headers.getSetCookie()) {
      expect(header).toMatch(/^signet_(at|rt)=/);
      expect(header).toMatch(/; HttpOnly/i);
      expect(header).toMatch(/; SameSite=lax/i);
      expect(header).not.toMatch(/; Secure/i);
    }
  });

  it('W3: each cookie stays under 4096 bytes even at the longest label, email and ids Signet accepts', async () => {
    const label = 'x'.repeat(DEVICE_LABEL_MAX);
    const s = await signIn(`${'a'.repeat(64)}.${uniqueEmail('long')}`.slice(0, 254), new Date(), { label });
    const notice = signedOutCookies({ reason: 'admin', at: new Date().toISOString(), elsewhere: true, orgName: 'o'.repeat(200), from: 'd'.repeat(200) });
    const response = withCookies(new NextResponse(null), [...sessionCookies(s.tokens, new Date(), true), ...notice]);
    for (const header of response.headers.getSetCookie()) expect(Buffer.byteLength(header)).toBeLessThan(4096);
  });
});

describe('W4 malformed bodies and parameters', () => {
  const form = (body: BodyInit | null, type = 'application/x-www-form-urlencoded', extra: Record<string, string> = {}) =>
    readForm(new Request(`${ORIGIN}/verify/confirm`, { method: 'POST', headers: { 'content-type': type, ...extra }, body }));

  it.each<[string, BodyInit, string]>([
    ['a JSON array', '[1,2]', 'application/json'],
    ['a JSON string', '"123456"', 'application/json'],
    ['JSON null', 'null', 'application/json'],
    ['a number where a string belongs', '{"code":123456}', 'application/json'],
    ['an array where a string belongs', '{"email":["a@b.test"]}', 'application/json'],
    ['an object where a string belongs', '{"code":{"$gt":""}}', 'application/json'],
    ['broken JSON', '{"code":', 'application/json'],
  ])('W4: %s is a 400', async (_label, body, type) => {
    expect(await form(body, type)).toEqual({ ok: false, status: 400 });
  });

  it('W4: a body over the limit is a 413, whether declared or streamed without a length', async () => {
    const big = 'a'.repeat(1024 * 1024 + 1);
    expect(await form(big)).toEqual({ ok: false, status: 413 });
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 80; i += 1) controller.enqueue(new Uint8Array(16 * 1024));
        controller.close();
      },
    });
    const chunked = new Request(`${ORIGIN}/verify/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(await readForm(chunked)).toEqual({ ok: false, status: 413 });
    expect(await form('code=1', 'application/x-www-form-urlencoded', { 'content-length': String(10 * 1024 * 1024) })).toEqual({ ok: false, status: 413 });
  });

  it('W4: an unexpected content type is a 415', async () => {
    for (const type of ['text/plain', 'multipart/form-data; boundary=x', '']) expect(await form('code=123456', type)).toEqual({ ok: false, status: 415 });
  });

  it('W4: invalid UTF-8 in a form does not throw', async () => {
    const bytes = new Uint8Array([0x63, 0x6f, 0x64, 0x65, 0x3d, 0xff, 0xfe, 0xc3, 0x28]);
    const read = await form(bytes);
    expect(read.ok).toBe(true);
  });

  it('W4: missing and garbage session tokens are "no session" at the check and "invalid" at refresh, never an exception', async () => {
    const context = await contextAt(new Date());
    for (const token of [undefined, '', 'not-a-jwt', 'a.b.c', '...', '\u0000', '\u0000.\u0000.\u0000', 'x'.repeat(5000), 'x'.repeat(10_000)]) {
      await expect(checkAccessToken(context, token)).resolves.toEqual({ status: 'none' });
      await expect(rotateRefreshToken(context, token)).resolves.toEqual({ ok: false, error: 'invalid' });
    }
  });

  it.each([
    ['four segments', (t: string) => `${t}.AAAA`],
    ['an empty payload', (t: string) => t.replace(/\.[^.]+\./, '..')],
    ['padding on the signature', (t: string) => `${t}=`],
    ['a truncated signature', (t: string) => t.slice(0, -1)],
    ['a space inside', (t: string) => t.replace('.', ' .')],
    ['standard base64 characters', (t: string) => t.replace(/-/g, '+').replace(/_/g, '/')],
  ])('W4: a real session token with %s is "no session" at the check and "invalid" at refresh', async (_label, mangle) => {
    const now = new Date();
    const context = await contextAt(now);
    let tokens = (await signIn(uniqueEmail('mangled'), now)).tokens;
    // So the standard-base64 case changes something in both tokens.
    while (!/[-_]/.test(tokens.accessToken) || !/[-_]/.test(tokens.refreshToken)) tokens = (await signIn(uniqueEmail('mangled'), now)).tokens;
    const { accessToken, refreshToken } = tokens;
    expect(mangle(accessToken)).not.toBe(accessToken);
    expect(mangle(refreshToken)).not.toBe(refreshToken);
    expect(await checkAccessToken(context, mangle(accessToken))).toEqual({ status: 'none' });
    await expect(rotateRefreshToken(context, mangle(refreshToken))).resolves.toEqual({ ok: false, error: 'invalid' });
    await expect(rotateRefreshToken(context, mangle(accessToken))).resolves.toEqual({ ok: false, error: 'invalid' });
    // The genuine tokens still work: the mangled ones were refused for their form alone.
    expect((await checkAccessToken(context, accessToken)).status).toBe('valid');
    expect((await rotateRefreshToken(context, refreshToken)).ok).toBe(true);
  });

  it.each([
    'https://attacker.test',
    '//attacker.test',
    '/\\attacker.test',
    '\\\\attacker.test',
    '/%0d%0aSet-Cookie:x',
    'javascript:alert(1)',
    '/\u0000',
    `/${'a'.repeat(600)}`,
    // Paths that only become protocol-relative once dot segments are resolved.
    '/.//attacker.test',
    '/..//attacker.test',
    '/a/..//attacker.test/x',
    '/%2e//attacker.test',
    '/./../..//attacker.test?x#y',
  ].map((next) => [next.slice(0, 40), next]))(
    'W4: next=%s cannot leave the site',
    (_label, next) => {
      const path = safeNextPath(next);
      expect(path.startsWith('/')).toBe(true);
      expect(path.startsWith('//')).toBe(false);
      expect(new URL(path, ORIGIN).origin).toBe(ORIGIN);
    },
  );
});

/**
 * W6: a device label, typed or derived from the User-Agent, is NFC and carries no character that
 * hides text or changes its direction: no bidi controls, no zero-width characters, no C0 or C1
 * controls. "Work \u202Egnp.exe" would otherwise show as "Work exe.png".
 */
const INVISIBLE = [
  ...['\u202A', '\u202B', '\u202C', '\u202D', '\u202E'], // bidi embeddings and overrides
  ...['\u2066', '\u2067', '\u2068', '\u2069'], // bidi isolates
  ...['\u200E', '\u200F', '\u061C'], // direction marks
  ...['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD'], // zero-width and invisible
  ...['\u0000', '\u0007', '\u001B', '\u007F', '\u0080', '\u0085', '\u009B', '\u009F'], // C0, DEL, C1
];
const FORBIDDEN = /[\u0000-\u001F\u007F-\u009F\u00AD\u061C\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFEFF]/u;

describe('W6 typed device labels', () => {
  it('W6: "Work \\u202Egnp.exe" is stored as "Work gnp.exe", which reads as it is', () => {
    expect(normalizeDeviceLabel('Work \u202Egnp.exe')).toBe('Work gnp.exe');
  });

  it.each(INVISIBLE.map((c) => [`U+${c.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}`, c]))('W6: %s is removed from a typed label', (_name, character) => {
    expect(normalizeDeviceLabel(`Pho${character}ne ${character}2`)).toBe('Phone 2');
  });

  it('W6: tabs, newlines and other separators become one space; the result is trimmed', () => {
    expect(normalizeDeviceLabel('\tWork\r\nlaptop\u2028 \u2029 ')).toBe('Work laptop');
    expect(normalizeDeviceLabel('Work \u0085 \u202E laptop')).toBe('Work laptop');
    expect(normalizeDeviceLabel('\u202e\u0000 laptop \u0007')).toBe('laptop');
  });

  it('W6: labels are NFC: a decomposed é is stored composed', () => {
    expect(normalizeDeviceLabel('Caf\u0065\u0301')).toBe('Caf\u00e9');
    expect(normalizeDeviceLabel('Caf\u0065\u0301')?.length).toBe(4);
  });

  it('W6: a label that is nothing but invisible characters is refused, and so is one too long once cleaned', () => {
    expect(normalizeDeviceLabel('\u202E\u200B\u2066 \u0085')).toBeNull();
    expect(normalizeDeviceLabel('a'.repeat(DEVICE_LABEL_MAX))).toBe('a'.repeat(DEVICE_LABEL_MAX));
    expect(normalizeDeviceLabel('a'.repeat(DEVICE_LABEL_MAX + 1))).toBeNull();
    expect(normalizeDeviceLabel(`${'a'.repeat(DEVICE_LABEL_MAX)}\u200B\u200B`)).toBe('a'.repeat(DEVICE_LABEL_MAX));
  });

  it('W6: letters of every script, emoji and their variation selectors are kept', () => {
    for (const label of ['Téléphone', 'هاتف العمل', 'טלפון', '工作电脑', 'Laptop 💻', '❤️ phone']) expect(normalizeDeviceLabel(label)).toBe(label);
  });
});

describe('W6 labels derived from the User-Agent', () => {
  it('W6: a User-Agent carrying controls (as latin-1 bytes or otherwise) yields a clean, NFC label', () => {
    const hostile = [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Gecko/20100101 Fire\u0085fox\u009B/133.0',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Evil\u202Egnp.exe/1.0',
      'Mozilla/5.0 (\u200BWind\u0000ows NT 10.0) Oper\u2066a/99.0',
      'Mozilla/5.0 (compatible; Bot\u00e2\u0080\u00ae/1.0)',
      'Cafe\u0301Browser/1.0 (Linux)',
      '\u202E\u0085',
    ];
    for (const userAgent of hostile) {
      const { label } = describeDevice(userAgent);
      expect(label, JSON.stringify(userAgent)).not.toMatch(FORBIDDEN);
      expect(label).toBe(label.normalize('NFC'));
      expect(label.length).toBeGreaterThan(0);
      expect(label.length).toBeLessThanOrEqual(DEVICE_LABEL_MAX);
    }
  });
});
