import { expect, test } from '@playwright/test';
import { latestCode, uniqueEmail } from '../support/flows';
import { expectSecurityHeaders } from './support/headers';
import { Jar, send, type Answer, type RequestOptions } from './support/http';
import { dedicatedServer, SECURITY_PORTS } from './support/server';

/**
 * W3 for an https deployment: a server configured with an https SIGNET_ORIGIN (TLS ends in front
 * of it, as behind a proxy) sets every cookie as `__Host-…; Secure`, and reads only those names.
 * W5: every answer there carries HSTS.
 */
const ORIGIN = `https://127.0.0.1:${SECURITY_PORTS.https}`;
const server = dedicatedServer('https', { port: SECURITY_PORTS.https, env: { SIGNET_ORIGIN: ORIGIN } });

const call = (path: string, options: RequestOptions = {}) => send(server().url, path, { origin: ORIGIN, ...options });

function expectHostOnlySecure(answers: Answer[]): Set<string> {
  const names = new Set<string>();
  for (const answer of answers) {
    expect(answer.headers.get('cache-control') ?? '').toMatch(/no-store/);
    for (const cookie of answer.cookies) {
      names.add(cookie.name);
      expect(cookie.name).toMatch(/^__Host-signet_/);
      expect(cookie.attributes.secure).toBe(true);
      expect(cookie.attributes.httponly).toBe(true);
      expect(String(cookie.attributes.samesite).toLowerCase()).toBe('lax');
      expect(cookie.attributes.path).toBe('/');
      expect(cookie.attributes.domain).toBeUndefined();
      expect(Buffer.byteLength(cookie.raw)).toBeLessThan(4096);
    }
  }
  return names;
}

test('W3: on https every cookie of a whole session is __Host- prefixed, Secure, HttpOnly, SameSite=Lax, Path=/, without Domain', async () => {
  const email = uniqueEmail('https');
  const jar = new Jar();
  const since = Date.now() - 1000;
  const answers: Answer[] = [];
  answers.push(await call('/sign-in/send', { form: { email }, cookies: jar, sameOrigin: true }));
  answers.push(await call('/verify/confirm', { form: { code: await latestCode(email, since), persistent: 'on' }, cookies: jar, sameOrigin: true }));
  expect(answers[1]?.status).toBe(303);
  answers.push(await call('/refresh', { method: 'POST', cookies: jar, sameOrigin: true }));
  expect(answers[2]?.status).toBe(204);

  // The proxy finds the prefixed refresh cookie too, and the page renders in the same request.
  const viaProxy = new Jar({ '__Host-signet_rt': jar.get('__Host-signet_rt') ?? '' });
  const proxied = await call('/', { cookies: viaProxy });
  expect(proxied.status).toBe(200);
  expect(proxied.text).toContain(email);
  answers.push(proxied);
  answers.push(await call('/sign-out', { method: 'POST', cookies: viaProxy, sameOrigin: true }));

  const names = expectHostOnlySecure(answers.filter((a) => a.cookies.length > 0));
  // signet_notice: "You are signed out", on the sign-out's answer.
  expect([...names].sort()).toEqual(['__Host-signet_at', '__Host-signet_ch', '__Host-signet_notice', '__Host-signet_rt']);
});

test('W3: on https a session cookie without the __Host- prefix (which a sibling subdomain could plant) is not read', async () => {
  const email = uniqueEmail('https-unprefixed');
  const jar = new Jar();
  const since = Date.now() - 1000;
  await call('/sign-in/send', { form: { email }, cookies: jar, sameOrigin: true });
  await call('/verify/confirm', { form: { code: await latestCode(email, since), persistent: 'on' }, cookies: jar, sameOrigin: true });
  const access = jar.get('__Host-signet_at') ?? '';
  expect((await call('/', { cookies: `__Host-signet_at=${access}` })).status).toBe(200);
  const planted = await call('/', { cookies: `signet_at=${access}` });
  expect([303, 307]).toContain(planted.status);
  expect(planted.text).not.toContain(email);
});

test('W5: on an https origin every answer carries HSTS, and the policy upgrades insecure requests', async () => {
  const answers = [await call('/sign-in'), await call('/api/health'), await call('/nowhere'), await call('/sign-out', { method: 'POST', sameOrigin: true })];
  for (const answer of answers) {
    expect(answer.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
    expectSecurityHeaders(answer.headers);
    expect(answer.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
  }
});
