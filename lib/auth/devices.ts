import { addSeconds } from '../ids';
import type { DeviceType, Ending, RevokeReason } from '../store/model';
import type { Context } from './context';

/**
 * A person's own devices: what the security page lists, and signing them out. Each view carries
 * only an id, the label, times, flags and the reason a session ended: never a token, a
 * fingerprint or a key version, so nothing secret can reach the browser through it. The store
 * scopes every change by the acting user in SQL, so another user's session id matches nothing.
 */
export type LiveDevice = {
  id: string;
  label: string | null;
  type: DeviceType;
  current: boolean;
  signedInAt: string;
  lastActiveAt: string;
  persistent: boolean;
  /** DBSC: its session is bound to a key this device holds. */
  deviceBound: boolean;
};

export type EndedDevice = { id: string; label: string | null; type: DeviceType; signedInAt: string; endedAt: string; ending: Ending };

export type DeviceList = { live: LiveDevice[]; ended: EndedDevice[] };

export const ENDED_WINDOW_DAYS = 30;
/** Enough to cover any real person's month; bounds the page if something signs in in a loop. */
const MAX_ENDED_SHOWN = 50;

/**
 * `userId`'s live sessions (not revoked, not past their absolute end), the current one first and
 * the rest by last activity, and the sessions that ended in the last 30 days, newest first.
 */
export async function listDevices({ store, now: clock }: Context, userId: string, currentSessionId: string): Promise<DeviceList> {
  const now = clock();
  const rows = await store.listDevices(userId, now, addSeconds(now, -ENDED_WINDOW_DAYS * 86_400), MAX_ENDED_SHOWN);
  const current = rows.live.filter((row) => row.id === currentSessionId);
  const others = rows.live.filter((row) => row.id !== currentSessionId);
  return {
    live: [...current, ...others].map((row) => ({
      id: row.id,
      label: row.label,
      type: row.deviceType ?? 'unknown',
      current: row.id === currentSessionId,
      signedInAt: row.signedInAt,
      lastActiveAt: row.lastActiveAt,
      persistent: row.persistent,
      deviceBound: row.deviceBound,
    })),
    ended: rows.ended.map((row) => ({
      id: row.id,
      label: row.label,
      type: row.deviceType ?? 'unknown',
      signedInAt: row.signedInAt,
      endedAt: row.revokedAt ?? row.refreshExpiresAt,
      ending: endingOf(row),
    })),
  };
}

function endingOf(row: { revokedAt: string | null; revokedReason: RevokeReason | null; revokedElsewhere: boolean }): Ending {
  if (!row.revokedAt) return 'expired';
  switch (row.revokedReason) {
    case 'admin':
    case 'rotation':
    case 'reuse_detected':
    case 'org_deleted':
    case 'reported':
      return row.revokedReason;
    default:
      return row.revokedElsewhere ? 'signed_out_elsewhere' : 'signed_out';
  }
}

/** The signed-in person acting on their own devices, from their session. */
export type Actor = { userId: string; sessionId: string; orgId: string };

/**
 * Signs one of the actor's devices out (`sign_out`). Another device is marked as signed out
 * elsewhere, so it can be told so on its next request; choosing the actor's own session signs
 * this device out, and `endedCurrent` tells the caller to clear its cookies.
 */
export async function signOutDevice({ store, now }: Context, actor: Actor, sessionId: string): Promise<{ endedCurrent: boolean }> {
  await store.revoke({ kind: 'session', userId: actor.userId, sessionId, fromSessionId: actor.sessionId }, 'sign_out', now());
  return { endedCurrent: sessionId === actor.sessionId };
}

/** Signs out every live device of the actor except the one acting; returns how many ended. */
export async function signOutOtherDevices({ store, now }: Context, actor: Actor): Promise<number> {
  const result = await store.revoke({ kind: 'other_sessions', userId: actor.userId, keepSessionId: actor.sessionId, orgId: actor.orgId }, 'sign_out', now());
  return result.ok ? result.ended : 0;
}

/** Signs out every live device of the actor, the one acting included; returns how many ended. */
export async function signOutEverywhere({ store, now }: Context, actor: Actor): Promise<number> {
  const result = await store.revoke({ kind: 'all_sessions', userId: actor.userId, sessionId: actor.sessionId, orgId: actor.orgId }, 'sign_out', now());
  return result.ok ? result.ended : 0;
}

/** This browser's own sign-out, found from its token's claims (POST /sign-out). */
export async function signOutThisDevice({ store, now }: Context, claims: { sub: string; jti: string }): Promise<void> {
  await store.revoke({ kind: 'session', userId: claims.sub, sessionId: claims.jti, fromSessionId: null }, 'sign_out', now());
}
