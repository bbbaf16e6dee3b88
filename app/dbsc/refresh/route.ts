import type { NextRequest } from 'next/server';
import { refreshWithDeviceKey } from '@/lib/auth/device-binding';
import { appContext } from '@/lib/web/context';
import { sessionCookies } from '@/lib/web/cookies';
import { answerDbsc, instructionsResponse, proofRequired, readDbscRequest, refusedResponse } from '@/lib/web/dbsc';
import { signedOutCookies } from '@/lib/web/notice';
import { withCookies } from '@/lib/web/respond';

/**
 * POST /dbsc/refresh: a bound session's refresh (`Sec-Secure-Session-Id`, the refresh cookie, and
 * `Secure-Session-Response` once challenged). 200 with new cookies and the instructions; 403 with
 * `Secure-Session-Challenge` when a proof is needed; 401 with the session cookies cleared otherwise.
 */
export async function POST(request: NextRequest) {
  const dbsc = readDbscRequest(request);
  return answerDbsc('dbsc_refresh_failed', async () => {
    const context = await appContext();
    const now = context.now();
    const result = await refreshWithDeviceKey(context, dbsc.cookie('refresh'), dbsc.sessionId, dbsc.proof);
    if (result.ok) return withCookies(instructionsResponse(request, result.sessionId), sessionCookies(result.tokens, now));
    if (result.error === 'proof_required') return proofRequired(result.challenge, result.sessionId);
    return withCookies(refusedResponse(result.error), signedOutCookies(null));
  });
}
