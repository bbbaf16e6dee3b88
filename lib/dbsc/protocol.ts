import { randomBytes } from 'node:crypto';

/**
 * Device Bound Session Credentials (https://w3c.github.io/webappsec-dbsc/): the wire format.
 * The browser keeps a private key per session and signs our challenges with it; the short-lived
 * access cookie is renewed only against such a proof. Nothing here touches the store.
 */

export const DBSC_REGISTRATION_PATH = '/dbsc/register';
export const DBSC_REFRESH_PATH = '/dbsc/refresh';

/** What we offer, in order of preference; a proof's `alg` must be one of them, exactly. */
export const DBSC_ALGORITHMS = ['ES256', 'RS256'] as const;
export type DbscAlgorithm = (typeof DBSC_ALGORITHMS)[number];

/**
 * A challenge answers once, within this many seconds. Browsers answer within a second; the window
 * is short because a registration challenge leaked with its sign-in (a HAR file holds response
 * headers) would let its holder bind a session whose own browser never did (docs/threat-model.md).
 */
export const DBSC_CHALLENGE_TTL_SECONDS = 120;

export const DBSC_HEADERS = {
  registration: 'Secure-Session-Registration',
  response: 'Secure-Session-Response',
  challenge: 'Secure-Session-Challenge',
  sessionId: 'Sec-Secure-Session-Id',
} as const;

/** A fresh challenge: 256 random bits, base64url (a structured-header string needs no escaping). */
export function newChallenge(): string {
  return randomBytes(32).toString('base64url');
}

export function challengeExpiry(now: Date): Date {
  return new Date(now.getTime() + DBSC_CHALLENGE_TTL_SECONDS * 1000);
}

/** `Secure-Session-Registration: (ES256 RS256);path="/dbsc/register";challenge="<c>"`. */
export function registrationHeader(challenge: string): string {
  return `(${DBSC_ALGORITHMS.join(' ')});path="${DBSC_REGISTRATION_PATH}";challenge="${challenge}"`;
}

/** `Secure-Session-Challenge: "<c>";id="<session id>"`, on a refresh that must be signed. */
export function challengeHeader(challenge: string, sessionId: string): string {
  return `"${challenge}";id="${sessionId}"`;
}

/**
 * The session instructions Chrome keeps after registration (and again after each refresh): which
 * session, where to refresh, which origin it covers, and the one cookie it guards. Only the access
 * cookie is bound: when it is missing, Chrome holds the request back and refreshes first.
 */
export function sessionInstructions(sessionId: string, origin: string, accessCookie: string, secure: boolean) {
  return {
    session_identifier: sessionId,
    refresh_url: DBSC_REFRESH_PATH,
    scope: { origin, include_site: false, scope_specification: [] },
    credentials: [{ type: 'cookie', name: accessCookie, attributes: `${secure ? 'Secure; ' : ''}HttpOnly; SameSite=Lax; Path=/` }],
  };
}
