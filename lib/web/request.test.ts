import { describe, expect, it } from 'vitest';
import { isCrossSiteRequest, MAX_FORM_BYTES, readForm, safeNextPath } from './request';

const ORIGIN = 'http://signet.test'; // SIGNET_ORIGIN in test/setup.ts

const post = (headers: Record<string, string>, url = `${ORIGIN}/sign-out`): Request => new Request(url, { method: 'POST', headers });
const form = (body: string, contentType = 'application/x-www-form-urlencoded'): Request =>
  new Request(`${ORIGIN}/verify/confirm`, { method: 'POST', headers: { 'content-type': contentType }, body });

describe('http: safeNextPath keeps redirects on this origin', () => {
  it.each([
    ['a protocol-relative URL', '//evil.com'],
    ['an absolute URL', 'https://evil.com'],
    ['a backslash authority', '/\\evil.com'],
    ['a double backslash', '\\\\evil.com'],
    ['javascript:', 'javascript:alert(1)'],
    ['a dot segment before //', '/.//evil.com'],
    ['a dot-dot segment before //', '/..//evil.com'],
    ['an encoded dot segment before //', '/%2e//evil.com'],
    ['a tab', '/\t/evil.com'],
    ['a newline', '/foo\nbar'],
    ['a NUL', '/foo\u0000'],
    ['DEL', '/foo\u007f'],
    ['a relative path', 'settings'],
    ['an empty string', ''],
    ['a 600-character path', `/${'a'.repeat(600)}`],
  ])('open redirect: rejects %s', (_label, next) => {
    const result = safeNextPath(next);
    expect(result).toBe('/');
  });

  it('rejects null and undefined', () => {
    expect(safeNextPath(null)).toBe('/');
    expect(safeNextPath(undefined)).toBe('/');
  });

  it.each(['/settings/security?x=1', '/settings/security', '/a/b?c=d#e', '/'])('keeps %s', (next) => {
    expect(safeNextPath(next)).toBe(next);
  });

  it('whatever it returns is a single-slash path', () => {
    for (const next of ['/./', '/.//x', '/a/../..//b', '/%2F%2Fevil.com', '/%5Cevil.com', '/\u2215\u2215evil.com']) {
      expect(safeNextPath(next)).toMatch(/^\/(?![/\\])/);
    }
  });
});

describe('http: W2 isCrossSiteRequest', () => {
  it.each([
    ['another Origin', { origin: 'https://evil.com' }],
    ['Origin: null', { origin: 'null' }],
    ['an https origin for this http host', { origin: 'https://signet.test' }],
    ['a subdomain Origin', { origin: 'http://evil.signet.test' }],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site', { 'sec-fetch-site': 'same-site' }],
    ['Sec-Fetch-Site: same-site with a same Origin', { 'sec-fetch-site': 'same-site', origin: ORIGIN }],
    ['Sec-Fetch-Site: same-origin with another Origin', { 'sec-fetch-site': 'same-origin', origin: 'https://evil.com' }],
  ])('W2: refuses %s', (_label, headers) => {
    expect(isCrossSiteRequest(post(headers))).toBe(true);
  });

  it.each([
    ['the same Origin', { origin: ORIGIN }],
    ['Sec-Fetch-Site: same-origin', { 'sec-fetch-site': 'same-origin' }],
    ['both, same-origin', { 'sec-fetch-site': 'same-origin', origin: ORIGIN }],
    ['neither header (a non-browser client)', {}],
  ])('W2: accepts %s', (_label, headers) => {
    expect(isCrossSiteRequest(post(headers))).toBe(false);
  });

  it('W2: compares with SIGNET_ORIGIN, not the Host the request claims', () => {
    expect(isCrossSiteRequest(post({ origin: 'http://evil.com' }, 'http://evil.com/sign-out'))).toBe(true);
  });
});

describe('http: W4 readForm', () => {
  it('reads a url-encoded form', async () => {
    const result = await readForm(form('code=123456&persistent=on'));
    expect(result.ok && Object.fromEntries(result.form)).toEqual({ code: '123456', persistent: 'on' });
  });

  it('reads a flat JSON object of strings and booleans', async () => {
    const result = await readForm(form(JSON.stringify({ code: '123456', persistent: true }), 'application/json'));
    expect(result.ok && Object.fromEntries(result.form)).toEqual({ code: '123456', persistent: 'on' });
  });

  it.each([
    ['a number value', '{"code":123456}'],
    ['an array', '["123456"]'],
    ['a nested object', '{"code":{"x":1}}'],
    ['null', 'null'],
    ['broken JSON', '{"code":'],
  ])('W4: JSON with %s gets 400', async (_label, body) => {
    expect(await readForm(form(body, 'application/json'))).toEqual({ ok: false, status: 400 });
  });

  it('W4: an unsupported content type gets 415', async () => {
    expect(await readForm(form('code=1', 'text/plain'))).toEqual({ ok: false, status: 415 });
  });

  it('W4: a body over the limit gets 413, with or without an honest Content-Length', async () => {
    const big = `code=${'1'.repeat(MAX_FORM_BYTES)}`;
    expect(await readForm(form(big))).toEqual({ ok: false, status: 413 });
    const lying = new Request(`${ORIGIN}/x`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '10' }, body: big });
    expect(await readForm(lying)).toEqual({ ok: false, status: 413 });
  });
});
