import { NextResponse, type NextRequest } from 'next/server';
import { cookieNames, singleCookie, usesSecureCookies } from '../auth/cookies';
import { jsonError, storeUnavailable } from '../http/respond';
import { appOrigin } from '../http/request';
import { log } from '../log';
import { DBSC_HEADERS, sessionInstructions } from './protocol';
import type { Refused } from './session-binding';

/**
 * What the two DBSC route handlers share. They need no Origin check of their own: each answers
 * only to a header no page can send cross-site (`Secure-Session-Response` needs a CORS preflight
 * we never grant; `Sec-Secure-Session-Id` is a forbidden header name, set by the browser alone).
 */

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

/** 200 with the session instructions for `sessionId`. */
export function instructionsResponse(request: NextRequest, sessionId: string): NextResponse {
  const secure = usesSecureCookies();
  const body = sessionInstructions(sessionId, appOrigin(request), cookieNames(secure).access, secure);
  return NextResponse.json(body, { headers: { 'Cache-Control': 'no-store' } });
}

export function refusedResponse(refusal: Refused): NextResponse {
  return jsonError(refusal.status, refusal.error, refusal.message);
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
