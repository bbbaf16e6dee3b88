import type { NextRequest } from 'next/server';
import { registerDeviceKey } from '@/lib/auth/device-binding';
import { appContext } from '@/lib/web/context';
import { answerDbsc, instructionsResponse, readDbscRequest, refusedResponse } from '@/lib/web/dbsc';

/**
 * POST /dbsc/register: the browser answers the registration challenge it got at sign-in with a
 * proof signed by a new key of its own (embedded in the proof). 200 with the session instructions
 * once the session is bound; 400 for a bad proof or challenge, 401 signed out, 409 already bound.
 */
export async function POST(request: NextRequest) {
  const dbsc = readDbscRequest(request);
  return answerDbsc('dbsc_register_failed', async () => {
    const result = await registerDeviceKey(await appContext(), dbsc.cookie('access'), dbsc.proof);
    return result.ok ? instructionsResponse(request, result.sessionId) : refusedResponse(result.error);
  });
}
