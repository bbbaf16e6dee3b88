import type { IssuedTokens } from '../auth/issue';
import { getEnv } from '../env';

/**
 * Cookie names and attributes. On an https origin the names carry the `__Host-` prefix, which
 * makes the browser insist on Secure, Path=/ and no Domain (no subdomain can plant or read them).
 */
export type CookieNames = { access: string; refresh: string; challenge: string; notice: string };

const BASE = { access: 'signet_at', refresh: 'signet_rt', challenge: 'signet_ch', notice: 'signet_notice' } as const;

export function cookieNames(secure: boolean): CookieNames {
  if (!secure) return { ...BASE };
  return {
    access: `__Host-${BASE.access}`,
    refresh: `__Host-${BASE.refresh}`,
    challenge: `__Host-${BASE.challenge}`,
    notice: `__Host-${BASE.notice}`,
  };
}

/**
 * The value of the cookie `name` in a Cookie header, or undefined when it is absent or sent more
 * than once. Two session cookies of one name mean one of them was planted (on http a sibling
 * subdomain can set one for the parent domain), and "the last one wins" would let the planted one
 * decide: such a request is signed out instead.
 */
export function singleCookie(cookieHeader: string | null | undefined, name: string): string | undefined {
  let value: string | undefined;
  let seen = 0;
  for (const part of (cookieHeader ?? '').split(';')) {
    const eq = part.indexOf('=');
    if ((eq === -1 ? part : part.slice(0, eq)).trim() !== name) continue;
    seen += 1;
    value = eq === -1 ? '' : part.slice(eq + 1).trim();
  }
  return seen === 1 ? value : undefined;
}

/** Whether this deployment's cookies are Secure: its configured origin is https. */
export function usesSecureCookies(): boolean {
  return getEnv().SIGNET_ORIGIN?.startsWith('https:') ?? false;
}

export type CookieToSet = {
  name: string;
  value: string;
  httpOnly: true;
  sameSite: 'lax';
  path: '/';
  secure: boolean;
  maxAge?: number;
};

function cookie(name: string, value: string, secure: boolean, maxAge?: number): CookieToSet {
  return { name, value, httpOnly: true, sameSite: 'lax', path: '/', secure, ...(maxAge === undefined ? {} : { maxAge }) };
}


/**
 * The two session cookies. The access cookie lives exactly as long as its token, so an expired
 * token simply stops being sent and the proxy refreshes (its matcher keys on the cookie being
 * absent). Without "stay signed in" the refresh cookie has no Max-Age: it dies with the browser,
 * and with it the session, at most one access lifetime later.
 */
export function sessionCookies(tokens: IssuedTokens, now: Date, secure = usesSecureCookies()): CookieToSet[] {
  const names = cookieNames(secure);
  const secondsUntil = (date: Date) => Math.max(1, Math.floor((date.getTime() - now.getTime()) / 1000));
  return [
    cookie(names.access, tokens.accessToken, secure, secondsUntil(tokens.accessExpiresAt)),
    cookie(names.refresh, tokens.refreshToken, secure, tokens.persistent ? secondsUntil(tokens.refreshExpiresAt) : undefined),
  ];
}

/** Expired copies of the session cookies, which make the browser drop them. */
export function clearedSessionCookies(secure = usesSecureCookies()): CookieToSet[] {
  const names = cookieNames(secure);
  return [cookie(names.access, '', secure, 0), cookie(names.refresh, '', secure, 0)];
}

export function challengeCookie(challengeId: string, maxAgeSeconds: number, secure = usesSecureCookies()): CookieToSet {
  return cookie(cookieNames(secure).challenge, challengeId, secure, maxAgeSeconds);
}

export function clearedChallengeCookie(secure = usesSecureCookies()): CookieToSet {
  return cookie(cookieNames(secure).challenge, '', secure, 0);
}

/** The cookie that carries the "why you were signed out" notice (lib/web/notice.ts); Max-Age 0 drops it. */
export function noticeCookie(value: string, maxAgeSeconds: number, secure = usesSecureCookies()): CookieToSet {
  return cookie(cookieNames(secure).notice, value, secure, maxAgeSeconds);
}
