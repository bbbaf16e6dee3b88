import { NextResponse } from 'next/server';

export const dynamic = 'force-dynamic';

/**
 * GET /api/health: liveness for load balancers and uptime checks. It answers from the process
 * alone (no cookies, no database), so it is also the baseline the benchmarks compare with.
 */
export function GET(): NextResponse {
  return NextResponse.json({ ok: true }, { headers: { 'Cache-Control': 'no-store' } });
}
