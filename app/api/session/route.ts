import { NextResponse } from 'next/server';
import { currentSession } from '@/lib/web/session';
import { jsonError, storeUnavailable } from '@/lib/web/respond';

export const dynamic = 'force-dynamic';

/**
 * GET /api/session: the public facts of this browser's session for fetch clients (who is signed
 * in, to which org, on which named device). Guarded by the same check as every page; never
 * returns a token or a session id. 401 when signed out, so a client knows to POST /refresh.
 */
export async function GET(): Promise<NextResponse> {
  const result = await currentSession();
  if (result.status === 'unavailable') return storeUnavailable();
  if (result.status !== 'valid') return jsonError(401, 'signed_out', 'Sign in to see this session.');
  const { session } = result;
  return NextResponse.json(
    {
      ok: true,
      session: {
        email: session.email,
        org: { name: session.orgName, role: session.role },
        device: session.deviceLabel,
        signedInAt: session.createdAt,
        staySignedIn: session.persistent,
      },
    },
    { headers: { 'Cache-Control': 'no-store' } },
  );
}
