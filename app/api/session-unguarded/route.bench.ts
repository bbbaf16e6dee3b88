import { NextResponse, type NextRequest } from 'next/server';
import { jsonError } from '@/lib/web/respond';

export const dynamic = 'force-dynamic';

// The shape and size of what GET /api/session answers the benchmark's signed-in browser.
const SAMPLE = {
  email: 'http.0@bench.example',
  org: { name: "http.0's org", role: 'owner' },
  device: 'Firefox on Linux',
  signedInAt: '2026-01-01T00:00:00.000Z',
  staySignedIn: true,
};

/**
 * Benchmark builds only (`pageExtensions` includes `bench.ts` only when SIGNET_BENCH_BUILD=1):
 * GET /api/session without its guard. It reads the same cookie and answers the same JSON from a
 * constant, so the benchmark's figure 1 compares the route with and without the session check
 * and nothing else.
 */
export function GET(request: NextRequest): NextResponse {
  if (!request.cookies.get('signet_at')) return jsonError(401, 'signed_out', 'Sign in to see this session.');
  return NextResponse.json({ ok: true, session: SAMPLE }, { headers: { 'Cache-Control': 'no-store' } });
}
