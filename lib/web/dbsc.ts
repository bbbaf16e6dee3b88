import { NextResponse, type NextRequest } from 'next/server';
import type { BindingRefusal } from '../auth/device-binding';
import { DBSC_ALGORITHMS } from '../crypto/device-proof';
import { log } from '../log';
import { cookieNames, singleCookie, usesSecureCookies } from './cookies';
import { appOrigin } from './request';
import { jsonError, storeUnavailable } from './respond';

/**
 * Device Bound Session Credentials (https://w3c.github.io/webappsec-dbsc/) on the wire: the
 * headers, the session instructions, and what the two route handlers (app/dbsc/*) share. They need
 * no Origin check of their own: each answers only to a header no page can send cross-site
 * (`Secure-Session-Response` needs a CORS preflight we never grant; `Sec-Secure-Session-Id` is a
 * forbidden header name, set by the browser alone).
 */

const REGISTRATION_PATH = '/dbsc/register';
const REFRESH_PATH = '/dbsc/refresh';

const DBSC_HEADERS = {
  registration: 'Secure-Session-Registration',
  response: 'Secure-Session-Response',
  challenge: 'Secure-Session-Challenge',
  sessionId: 'Sec-Secure-Session-Id',
} as const;

/** `Secure-Session-Registration: (ES256 RS256);path="/dbsc/register";challenge="<c>"`. */
export function registrationHeader(challenge: string): Record<string, string> {
  return { [DBSC_HEADERS.registration]: `(${DBSC_ALGORITHMS.join(' ')});path="${REGISTRATION_PATH}";challenge="${challenge}"` };
}

export type DbscRequest = { proof: string | null; sessionId: string | null; cookie: (kind: 'access' | 'refresh') => string | undefined };

export function readDbscRequest(request: NextRequest): DbscRequest {
  const names = cookieNames(usesSecureCookies());
  const header = request.headers.get('cookie');
  return {
    proof: request.headers.get(DBSC_HEADERS.response),
    sessionId: request.headers.get(DBSC_HEADERS.sessionId),
    cookie: (kind) => singleCookie(header, names[kind]),
  };
}

/**
 * 200 with the session instructions Chrome keeps after registration (and again after each
 * refresh): which session, where to refresh, which origin it covers, and the one cookie it guards.
 * Only the access cookie is bound: when it is missing, Chrome holds the request back and refreshes.
 */
export function instructionsResponse(request: NextRequest, sessionId: string): NextResponse {
  const secure = usesSecureCookies();
  const body = {
    session_identifier: sessionId,
    refresh_url: REFRESH_PATH,
    scope: { origin: appOrigin(request), include_site: false, scope_specification: [] },
    credentials: [{ type: 'cookie', name: cookieNames(secure).access, attributes: `${secure ? 'Secure; ' : ''}HttpOnly; SameSite=Lax; Path=/` }],
  };
  return NextResponse.json(body, { headers: { 'Cache-Control': 'no-store' } });
}

/** 403 with `Secure-Session-Challenge: "<c>";id="<session id>"`: sign this and ask again. */
export function proofRequired(challenge: string, sessionId: string): NextResponse {
  return jsonError(403, 'proof_required', "Sign the challenge with this device's key.", { [DBSC_HEADERS.challenge]: `"${challenge}";id="${sessionId}"` });
}

const REFUSALS: Record<BindingRefusal, { status: 400 | 401 | 409; message: string }> = {
  signed_out: { status: 401, message: 'Please sign in again.' },
  invalid_proof: { status: 400, message: 'The device proof is not valid.' },
  wrong_key: { status: 401, message: 'The device proof is not signed by this session’s key.' },
  invalid_challenge: { status: 400, message: 'The challenge is unknown, used or expired.' },
  already_bound: { status: 409, message: 'This session is already bound to a device key.' },
};

export function refusedResponse(error: BindingRefusal): NextResponse {
  const { status, message } = REFUSALS[error];
  return jsonError(status, error, message);
}

/** Runs a DBSC step; a store failure is a 503 that changes nothing (R2). */
export async function answerDbsc(name: string, step: () => Promise<NextResponse>): Promise<NextResponse> {
  try {
    return await step();
  } catch (error) {
    log.error(name, { error: error instanceof Error ? error.message : 'unknown' });
    return storeUnavailable();
  }
}
