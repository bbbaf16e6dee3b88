/**
 * A cookie-jar HTTP client for the black-box attack specs: plain requests against `next start`,
 * with every header under the test's control (Origin, Sec-Fetch-Site, duplicated cookies...).
 */
import { expect } from '@playwright/test';
import { latestCode } from '../../support/flows';

const MAIL_API = process.env.SIGNET_E2E_MAIL_API ?? 'http://127.0.0.1:3280/messages';

/**
 * What these specs present as the client: a recognisable User-Agent and forwarding headers
 * naming documentation-range addresses. The privacy spec (P1) looks for each of them afterwards.
 */
export const PROBE = {
  userAgent:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 SignetPrivacyProbe/5.1',
  browserUserAgent:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15 SignetPrivacyProbe/5.1-browser',
  forwardedFor: '198.51.100.23',
  realIp: '203.0.113.45',
  forwarded: '192.0.2.60',
  ipv6: '2001:db8::5a',
} as const;

const PROBE_HEADERS: Record<string, string> = {
  'user-agent': PROBE.userAgent,
  'x-forwarded-for': `${PROBE.forwardedFor}, ${PROBE.ipv6}`,
  'x-real-ip': PROBE.realIp,
  forwarded: `for=${PROBE.forwarded}`,
};

export type SetCookie = { name: string; value: string; attributes: Record<string, string | true>; raw: string };

export function parseSetCookie(raw: string): SetCookie {
  const [pair = '', ...rest] = raw.split(';');
  const eq = pair.indexOf('=');
  const attributes: Record<string, string | true> = {};
  for (const part of rest) {
    const [key = '', ...value] = part.trim().split('=');
    attributes[key.toLowerCase()] = value.length ? value.join('=') : true;
  }
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attributes, raw };
}

export type Answer = { status: number; headers: Headers; text: string; cookies: SetCookie[] };

/** The cookies one client holds, updated from each answer as a browser would. */
export class Jar {
  readonly values = new Map<string, string>();

  constructor(initial: Record<string, string> = {}) {
    for (const [name, value] of Object.entries(initial)) this.values.set(name, value);
  }

  apply(cookies: SetCookie[]): void {
    for (const cookie of cookies) {
      if (cookie.attributes['max-age'] === '0' || cookie.value === '') this.values.delete(cookie.name);
      else this.values.set(cookie.name, cookie.value);
    }
  }

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  header(): string {
    return [...this.values].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  copy(): Jar {
    return new Jar(Object.fromEntries(this.values));
  }
}

export type RequestOptions = {
  method?: string;
  headers?: Record<string, string>;
  form?: Record<string, string>;
  json?: unknown;
  body?: string | Uint8Array<ArrayBuffer>;
  /** A jar to send and update, or a literal Cookie header. */
  cookies?: Jar | string;
  /** Adds Origin and Sec-Fetch-Site as a same-origin page of this app would. */
  sameOrigin?: boolean;
  /** The app's public origin when it differs from `base` (an https deployment behind a proxy). */
  origin?: string;
};

/** One request, no redirects followed, Set-Cookie parsed (and applied to the jar when one is given). */
export async function send(base: string, path: string, options: RequestOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...PROBE_HEADERS };
  if (options.sameOrigin) Object.assign(headers, { origin: options.origin ?? base, 'sec-fetch-site': 'same-origin' });
  if (options.cookies instanceof Jar) headers.cookie = options.cookies.header();
  else if (typeof options.cookies === 'string') headers.cookie = options.cookies;
  let body: string | Uint8Array<ArrayBuffer> | undefined = options.body;
  if (options.form) {
    body = new URLSearchParams(options.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] = 'application/json';
  }
  Object.assign(headers, options.headers ?? {});
  const response = await fetch(`${base}${path}`, { method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, redirect: 'manual' });
  const cookies = response.headers.getSetCookie().map(parseSetCookie);
  if (options.cookies instanceof Jar) options.cookies.apply(cookies);
  return { status: response.status, headers: response.headers, text: await response.text(), cookies };
}

/** Asks for a code for `email` with a fresh challenge cookie; returns the jar holding it. */
export async function requestCode(base: string, email: string, jar = new Jar()): Promise<{ jar: Jar; code: string }> {
  const since = Date.now() - 1000;
  const sent = await send(base, '/sign-in/send', { form: { email }, cookies: jar, sameOrigin: true });
  expect(sent.status).toBe(202);
  return { jar, code: await latestCode(email, since) };
}

export function confirmCode(base: string, jar: Jar, code: string, extra: Record<string, string> = {}): Promise<Answer> {
  return send(base, '/verify/confirm', { form: { code, persistent: 'on', device: 'Probe', ...extra }, cookies: jar, sameOrigin: true });
}

/** Signs `email` in over HTTP, as the pages would, and returns the jar with the session cookies. */
export async function signInOverHttp(base: string, email: string, options: { persistent?: boolean; device?: string } = {}): Promise<Jar> {
  const { jar, code } = await requestCode(base, email);
  const extra = { ...(options.persistent === false ? { persistent: '' } : {}), ...(options.device ? { device: options.device } : {}) };
  const confirmed = await confirmCode(base, jar, code, extra);
  expect(confirmed.status).toBe(303);
  expect(jar.get('signet_at')).toBeTruthy();
  expect(jar.get('signet_rt')).toBeTruthy();
  return jar;
}

/** A JWT's payload, read without verifying (to look at `jti`, `gen`, `exp` of what the server issued). */
export function claimsOf(token: string | undefined): { jti: string; sub: string; exp: number; iat: number; gen?: number } {
  const payload = (token ?? '').split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as ReturnType<typeof claimsOf>;
}

export async function mailTo(email: string): Promise<Array<{ subject: string; text: string }>> {
  const response = await fetch(`${MAIL_API}?to=${encodeURIComponent(email)}`);
  return (await response.json()) as Array<{ subject: string; text: string }>;
}

/** Whether the signed-in home page renders for this jar (200 with its heading). */
export async function seesHome(base: string, jar: Jar): Promise<boolean> {
  const home = await send(base, '/', { cookies: jar });
  return home.status === 200 && home.text.includes('You are signed in');
}

/** Text that must never reach a client: stack frames and internal error names. */
export const LEAK_PATTERNS = [/\bat [\w.<>]+ \(/, /node_modules/, /SqliteError/, /\.ts:\d+/, /webpack-internal/];
