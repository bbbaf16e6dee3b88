import type http from 'node:http';
import type { Keyring } from '../../lib/crypto/keys';
import { signToken } from '../../lib/crypto/tokens';
import { addSeconds } from '../../lib/ids';
import { send, type Answer } from './client';
import type { MailSink } from './mail-sink';
import { ACCESS_TTL_SECONDS, LIFETIME_SECONDS, type BulkSession, type SeededUser } from './seed';
import { ACCESS, REFRESH } from './server';

/**
 * Simulated browsers for the realistic mix: each holds its cookies as a browser would, refreshes
 * when its access cookie has lapsed (as a fetch client does: POST /refresh), and can sign out and
 * sign in again through the real pages' routes, with the code read from the mail sink.
 */
export type Browser = { email: string; access: string; refresh: string; accessExpiresAt: number };

/** What one request did: its kind, its answer's status and its time. */
export type Outcome = { kind: 'json' | 'page' | 'refresh' | 'sign-out' | 'sign-in'; status: number; ok: boolean; micros: number };

export type Traffic = { agent: http.Agent; origin: string; mail: MailSink; record: (outcome: Outcome) => void };

/** Runs one browser action; an error (a refused connection, no code arrived) is recorded as a failure, never thrown. */
export async function act(traffic: Traffic, kind: Outcome['kind'], action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch {
    traffic.record({ kind, status: 0, ok: false, micros: 0 });
  }
}

/**
 * Browsers for seeded sessions, mid-way through their access tokens: each token was issued at a
 * moment spread over 15 minutes, so they lapse one by one and refreshes come at the rate 15-minute
 * tokens give (N ÷ 900 s), with nothing compressed. The spread ends `lagSeconds` (the time between
 * two reads of one browser) before now: some have lapsed already and are refreshed on their first
 * read, as in a steady state, so the rate holds from the first second.
 */
export async function browsersFor(keyring: Keyring, sessions: BulkSession[], users: Map<string, SeededUser>, now: Date, lagSeconds: number): Promise<Browser[]> {
  const browsers: Browser[] = [];
  for (const session of sessions) {
    const issuedAt = addSeconds(now, -lagSeconds - Math.random() * ACCESS_TTL_SECONDS);
    const expiresAt = addSeconds(issuedAt, ACCESS_TTL_SECONDS);
    const base = { sessionId: session.id, userId: session.userId, issuedAt };
    browsers.push({
      email: users.get(session.userId)?.email ?? '',
      access: await signToken(keyring, 'access', { ...base, expiresAt }),
      refresh: await signToken(keyring, 'refresh', { ...base, generation: 0, expiresAt: addSeconds(now, LIFETIME_SECONDS - 120) }),
      accessExpiresAt: expiresAt.getTime(),
    });
  }
  return browsers;
}

/** One read by `browser`: first a refresh if its access cookie has lapsed, then `path` (none: the refresh alone). */
export async function read(traffic: Traffic, browser: Browser, kind: 'json' | 'page', path: string | null): Promise<void> {
  if (browser.accessExpiresAt <= Date.now()) await refresh(traffic, browser);
  if (path === null) return;
  const cookie = `${ACCESS}=${browser.access}; ${REFRESH}=${browser.refresh}`;
  const headers = kind === 'page' ? { accept: 'text/html' } : undefined;
  const answer = await send(traffic.agent, traffic.origin, path, { cookie, headers });
  traffic.record({ kind, status: answer.status, ok: answer.status === 200, micros: answer.micros });
}

async function refresh(traffic: Traffic, browser: Browser): Promise<void> {
  const answer = await send(traffic.agent, traffic.origin, '/refresh', { method: 'POST', cookie: `${REFRESH}=${browser.refresh}` });
  traffic.record({ kind: 'refresh', status: answer.status, ok: answer.status === 204, micros: answer.micros });
  keepCookies(browser, answer);
}

/** The person behind `browser` signs out, then signs in again on it: a new session, new cookies. */
export async function signOutAndIn(traffic: Traffic, browser: Browser): Promise<void> {
  const cookie = `${ACCESS}=${browser.access}; ${REFRESH}=${browser.refresh}`;
  const out = await send(traffic.agent, traffic.origin, '/sign-out', { method: 'POST', cookie });
  traffic.record({ kind: 'sign-out', status: out.status, ok: out.status === 303, micros: out.micros });

  const asked = await send(traffic.agent, traffic.origin, '/sign-in/send', { method: 'POST', form: { email: browser.email } });
  const challenge = asked.setCookies.get('signet_ch');
  const code = await traffic.mail.codeFor(browser.email);
  const confirmed = await send(traffic.agent, traffic.origin, '/verify/confirm', {
    method: 'POST',
    cookie: `signet_ch=${challenge ?? ''}`,
    form: { code, persistent: 'on', device: 'Bench browser' },
  });
  const ok = asked.status === 202 && confirmed.status === 303 && confirmed.setCookies.has(ACCESS);
  traffic.record({ kind: 'sign-in', status: confirmed.status, ok, micros: asked.micros + confirmed.micros });
  keepCookies(browser, confirmed);
}

function keepCookies(browser: Browser, answer: Answer): void {
  const access = answer.setCookies.get(ACCESS);
  const refresh = answer.setCookies.get(REFRESH);
  if (access) {
    browser.access = access;
    browser.accessExpiresAt = Date.now() + ACCESS_TTL_SECONDS * 1000;
  }
  if (refresh) browser.refresh = refresh;
}
