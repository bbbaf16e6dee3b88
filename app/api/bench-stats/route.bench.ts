import { NextResponse } from 'next/server';
import { getStore } from '@/lib/store';

export const dynamic = 'force-dynamic';

/**
 * Benchmark builds only (see app/api/session-unguarded): the SQLite row cache's counters, which
 * the realistic mix reads before and after each round for the hit rate. Null on a store without one.
 */
export async function GET(): Promise<NextResponse> {
  const store = await getStore();
  const rowCache = 'rowCacheCounters' in store && typeof store.rowCacheCounters === 'function' ? (store.rowCacheCounters() as unknown) : null;
  return NextResponse.json({ rowCache }, { headers: { 'Cache-Control': 'no-store' } });
}
