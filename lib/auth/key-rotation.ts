import type { Context } from './context';

type Operator = Pick<Context, 'store' | 'keyring' | 'now'>;

/**
 * Key versions as an operator sees them (npm run keys), on the store the command opened. Adding
 * a key signs nobody out (sessions move to the newest key at their next refresh); retiring one
 * ends only the sessions still on it.
 */

export type KeyStatus = { kid: string; liveSessions: number; signing: boolean; configured: boolean };

/**
 * Every configured key version, newest first, with its live-session count; then any version no
 * longer configured that live sessions still name (their tokens no longer verify).
 */
export async function keyStatus({ store, keyring, now }: Operator): Promise<KeyStatus[]> {
  const counts = await store.liveSessionsByKid(now());
  const configured = [...keyring.byKid.keys()].map((kid) => ({
    kid,
    liveSessions: counts.get(kid) ?? 0,
    signing: kid === keyring.current.kid,
    configured: true,
  }));
  const leftovers = [...counts]
    .filter(([kid]) => !keyring.byKid.has(kid))
    .map(([kid, liveSessions]) => ({ kid, liveSessions, signing: false, configured: false }));
  return [...configured, ...leftovers];
}

export async function countLiveSessionsOnKey({ store, now }: Operator, kid: string): Promise<number> {
  return (await store.liveSessionsByKid(now())).get(kid) ?? 0;
}

export type RetireResult = { ok: true; ended: number } | { ok: false; error: 'signing_key' };

/**
 * Ends every live session still on `kid` (reason `rotation`, one `key_retired` event each, so the
 * person's activity says why). The store works in small batches so the app keeps serving. The
 * signing key is refused: retiring it would end sessions it just issued.
 */
export async function retireKey({ store, keyring, now }: Operator, kid: string): Promise<RetireResult> {
  if (kid === keyring.current.kid) return { ok: false, error: 'signing_key' };
  const result = await store.revoke({ kind: 'key', kid }, 'rotation', now());
  return { ok: true, ended: result.ok ? result.ended : 0 };
}
