import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { generateKeyPair, SignJWT } from 'jose';
import { signIn, uniqueEmail, USER_AGENTS } from '../support/flows';
import { LABELS, SECURITY_PAGE, thisDevice, liveList } from '../support/security-page';
import { claimsOf, send } from './support/http';
import { CLOCK_TOLERANCE_SECONDS } from '../../lib/crypto/tokens';
import { dedicatedServer, SECURITY_PORTS } from './support/server';
import { readCertificate, startTlsProxy, type TlsProxy } from './support/tls';

/**
 * Device-bound sessions (DBSC) in a real Chromium with DBSC turned on (the `dbsc` project's flags).
 * Signet serves https://localhost through a TLS proxy with a certificate Chromium trusts; access
 * tokens live ACCESS_TTL seconds. Chrome allows only a few signings per site in a few minutes, so
 * every test has a fresh browser context and causes at most a couple of refreshes.
 */
const ACCESS_TTL = 8;
const ORIGIN = `https://localhost:${SECURITY_PORTS.dbscTls}`;
const server = dedicatedServer('dbsc', { port: SECURITY_PORTS.dbsc, env: { SIGNET_ORIGIN: ORIGIN, ACCESS_TTL_SECONDS: String(ACCESS_TTL) } });
const NAMES = { access: '__Host-signet_at', refresh: '__Host-signet_rt' } as const;

const TLS_DIR = process.env.SIGNET_E2E_DBSC_TLS_DIR ?? '';

let proxy: TlsProxy;

test.beforeAll(async () => {
  proxy = await startTlsProxy(readCertificate(TLS_DIR), SECURITY_PORTS.dbscTls, SECURITY_PORTS.dbsc);
});

test.afterEach(({}, testInfo) => {
  // The exchange as the proxy carried it (DBSC headers only, no cookie), test by test, for the record.
  const records = proxy.wire.splice(0);
  fs.appendFileSync(path.join(TLS_DIR, 'wire.jsonl'), `${JSON.stringify({ test: testInfo.title, records })}\n`);
});

test.afterAll(async () => {
  await proxy.close();
});

type SessionState = { id: string; generation: number; key: string | null; revoked: string | null };

function sessionOf(email: string): SessionState | undefined {
  return server().queryRow<SessionState>(
    `SELECT s.id, s.refresh_generation AS generation, s.dbsc_public_key AS key, s.revoked_at AS revoked
       FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = ? ORDER BY s.created_at DESC LIMIT 1`,
    email,
  );
}

/** Chrome registers in the background after the sign-in's redirect: waits for the key to land. */
async function boundSession(email: string): Promise<SessionState> {
  await expect.poll(() => sessionOf(email)?.key ?? null, { timeout: 15_000 }).not.toBeNull();
  return sessionOf(email)!;
}

function events(sessionId: string, type: string): number {
  return server().queryRow<{ n: number }>('SELECT count(*) AS n FROM security_events WHERE session_id = ? AND type = ?', sessionId, type)?.n ?? 0;
}

async function device(browser: Browser, userAgent: string = USER_AGENTS.chromeMac): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ userAgent });
  return { context, page: await context.newPage() };
}

/** A plain HTTP client with copied cookies, talking to the server behind the proxy. */
const thief = (pathname: string, cookie: string, options: Parameters<typeof send>[2] = {}) =>
  send(server().url, pathname, { origin: ORIGIN, cookies: cookie, ...options });

/** Chrome's own account of its device-bound sessions, through the DevTools protocol. */
async function watchDeviceBoundSessions(context: BrowserContext, page: Page): Promise<DbscEvent[]> {
  // Not in Playwright's protocol types yet: the domain is behind the DeviceBoundSessionsDevTools flag.
  const cdp = (await context.newCDPSession(page)) as unknown as { send(method: string, params?: object): Promise<unknown>; on(event: string, listener: (event: DbscEvent) => void): void };
  const events: DbscEvent[] = [];
  cdp.on('Network.deviceBoundSessionEventOccurred', (event) => events.push(event));
  await cdp.send('Network.enable');
  await cdp.send('Network.enableDeviceBoundSessions', { enable: true });
  return events;
}
type DbscEvent = { succeeded: boolean; sessionId?: string; creationEventDetails?: { fetchResult: string; newSession?: { cookieCravings: Array<{ name: string }> } } };

test('DBSC: signing in binds the session to a key Chrome holds; the security page and the activity say so', async ({ browser }) => {
  const { context, page } = await device(browser);
  const chrome = await watchDeviceBoundSessions(context, page);
  const email = uniqueEmail('dbsc-bound');
  await signIn(page, email, { next: SECURITY_PAGE });
  const session = await boundSession(email);
  // Chrome says the same: one session, by our id, craving the access cookie.
  await expect.poll(() => chrome.find((event) => event.creationEventDetails)?.creationEventDetails?.fetchResult).toBe('Success');
  const created = chrome.find((event) => event.creationEventDetails);
  expect(created?.sessionId).toBe(session.id);
  expect(created?.creationEventDetails?.newSession?.cookieCravings.map((craving) => craving.name)).toEqual([NAMES.access]);
  expect(JSON.parse(session.key ?? '{}')).toMatchObject({ alg: 'ES256', jwk: { kty: 'EC', crv: 'P-256' } });
  expect(events(session.id, 'device_bound')).toBe(1);
  await page.reload();
  await expect(thisDevice(page)).toContainText("Protected by this device's key");
  await expect(page.getByRole('region', { name: 'Recent security activity' })).toContainText(`${LABELS.chromeMac} is now protected by this device's key`);
  await context.close();
});

test("DBSC: copied cookies die with the access token; the refresh cookie and another key refresh nothing; the browser keeps going", async ({ browser }) => {
  const { context, page } = await device(browser);
  const email = uniqueEmail('dbsc-stolen');
  await signIn(page, email, { next: SECURITY_PAGE });
  const session = await boundSession(email);
  const stolen = Object.fromEntries((await context.cookies()).map((c) => [c.name, c.value]));
  const access = `${NAMES.access}=${stolen[NAMES.access]}`;
  const refresh = `${NAMES.refresh}=${stolen[NAMES.refresh]}`;
  const expiresAt = claimsOf(stolen[NAMES.access]).exp * 1000;

  // Until its exp the copied access cookie is a bearer token, as any cookie is.
  const before = await thief(SECURITY_PAGE, access);
  expect(before.status).toBe(200);
  expect(before.text).toContain(email);

  // The refresh cookie alone: POST /refresh and the proxy's silent refresh both refuse, and say so.
  expect((await thief('/refresh', refresh, { method: 'POST', sameOrigin: true })).status).toBe(401);
  const silent = await thief(SECURITY_PAGE, refresh);
  expect([303, 307]).toContain(silent.status);
  expect(silent.headers.get('location')).toContain('/sign-in');
  expect(events(session.id, 'refresh_without_device_key')).toBe(2);

  // The DBSC refresh with a key of the thief's own: challenged, then refused.
  const challenged = await thief('/dbsc/refresh', refresh, { method: 'POST', headers: { 'sec-secure-session-id': session.id } });
  expect(challenged.status).toBe(403);
  const challenge = /^"([^"]+)";id="([^"]+)"$/.exec(challenged.headers.get('secure-session-challenge') ?? '');
  expect(challenge?.[2]).toBe(session.id);
  const { privateKey } = await generateKeyPair('ES256');
  const proof = await new SignJWT({ jti: challenge?.[1] }).setProtectedHeader({ alg: 'ES256', typ: 'dbsc+jwt' }).sign(privateKey);
  const forged = await thief('/dbsc/refresh', refresh, { method: 'POST', headers: { 'sec-secure-session-id': session.id, 'secure-session-response': proof } });
  expect(forged.status).toBe(401);
  expect(forged.cookies.filter((c) => c.value !== '')).toEqual([]);

  // Past its exp (and the verifier's small clock tolerance) the copied access cookie is refused.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - Date.now()) + CLOCK_TOLERANCE_SECONDS * 1000 + 1000));
  const after = await thief(SECURITY_PAGE, access);
  expect(after.status).not.toBe(200);
  expect(after.text).not.toContain(email);

  // Meanwhile the browser works on: Chrome refreshed with its key (a new generation, same session).
  await page.goto(SECURITY_PAGE);
  await expect(thisDevice(page)).toContainText("Protected by this device's key");
  const now = sessionOf(email);
  expect(now?.id).toBe(session.id);
  expect(now?.revoked).toBeNull();
  expect(now?.generation).toBeGreaterThan(session.generation);
  expect(proxy.wire.some((record) => record.path === '/dbsc/refresh' && record.status === 200 && 'secure-session-response' in record.request)).toBe(true);
  await context.close();
});

test('DBSC: ending a bound session from another device is immediate', async ({ browser }) => {
  const email = uniqueEmail('dbsc-ended');
  const laptop = await device(browser, USER_AGENTS.chromeMac);
  await signIn(laptop.page, email, { next: SECURITY_PAGE });
  const session = await boundSession(email);
  const phone = await device(browser, USER_AGENTS.safariIphone);
  await signIn(phone.page, email, { next: SECURITY_PAGE });
  await expect(liveList(phone.page)).toHaveCount(2);
  await phone.page.getByRole('button', { name: `Sign out ${LABELS.chromeMac}` }).click();
  await phone.page.getByRole('button', { name: `Yes, sign out ${LABELS.chromeMac}` }).click();
  await expect(liveList(phone.page)).toHaveCount(1);

  // Well within the laptop's access lifetime, its next request is refused.
  expect(Date.now()).toBeLessThan(claimsOf((await laptop.context.cookies()).find((c) => c.name === NAMES.access)?.value).exp * 1000);
  await laptop.page.goto(SECURITY_PAGE);
  await expect(laptop.page).toHaveURL(/\/sign-in/);
  expect(server().queryRow<{ key: string | null }>('SELECT dbsc_public_key AS key FROM sessions WHERE id = ?', session.id)?.key).toBeNull();
  expect(server().queryRow<{ n: number }>('SELECT count(*) AS n FROM dbsc_challenges WHERE session_id = ?', session.id)?.n).toBe(0);
  await laptop.context.close();
  await phone.context.close();
});
