import type { NextRequest } from 'next/server';
import { sessionCookies } from '@/lib/auth/cookies';
import { getKeyring } from '@/lib/auth/keys';
import { refreshPolicy } from '@/lib/auth/policy';
import { answerDbsc, instructionsResponse, readDbscRequest, refusedResponse } from '@/lib/dbsc/http';
import { challengeHeader, DBSC_HEADERS } from '@/lib/dbsc/protocol';
import { refreshWithDeviceKey } from '@/lib/dbsc/session-binding';
import { jsonError, signedOutCookies, withCookies } from '@/lib/http/respond';

/**
 * POST /dbsc/refresh: a bound session's refresh (`Sec-Secure-Session-Id`, the refresh cookie, and
 * `Secure-Session-Response` once challenged). 200 with new cookies and the instructions; 403 with
 * `Secure-Session-Challenge` when a proof is needed; 401 with the session cookies cleared otherwise.
 */
export async function POST(request: NextRequest) {
  const dbsc = readDbscRequest(request);
  return answerDbsc('dbsc_refresh_failed', async () => {
    const now = new Date();
    const result = await refreshWithDeviceKey(getKeyring(), dbsc.cookie('refresh'), dbsc.sessionId, dbsc.proof, refreshPolicy(), now);
    if (result.ok) return withCookies(instructionsResponse(request, result.sessionId), sessionCookies(result.tokens, now));
    if (result.status === 403) {
      const headers = { [DBSC_HEADERS.challenge]: challengeHeader(result.challenge, result.sessionId) };
      return jsonError(403, 'proof_required', "Sign the challenge with this device's key.", headers);
    }
    return withCookies(refusedResponse(result), signedOutCookies(null));
  });
}
