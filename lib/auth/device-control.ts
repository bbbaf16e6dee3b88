import { getStore } from '../store';

/**
 * What a signed-in person can do to their own devices. The store scopes every change by the
 * acting user in SQL, so another user's session id matches nothing; callers answer the same
 * either way, and the security log records only changes that happened, in the same transaction.
 */
export type Actor = { userId: string; sessionId: string; orgId: string };

/** Renames one of the actor's live devices; returns whether a row changed. */
export async function renameDevice(actor: Actor, sessionId: string, label: string, now: Date): Promise<boolean> {
  return (await getStore()).renameDevice(actor, sessionId, label, now);
}

export type SignOutOutcome = { endedCurrent: boolean };

/**
 * Signs one of the actor's devices out (`sign_out`). Another device is marked as signed out
 * elsewhere, so it can be told so on its next request; choosing the actor's own session signs
 * this device out, and `endedCurrent` tells the caller to clear its cookies.
 */
export async function signOutDevice(actor: Actor, sessionId: string, now: Date): Promise<SignOutOutcome> {
  await (await getStore()).revoke({ kind: 'session', userId: actor.userId, sessionId, fromSessionId: actor.sessionId }, 'sign_out', now);
  return { endedCurrent: sessionId === actor.sessionId };
}

/** Signs out every live device of the actor except the one acting; returns how many ended. */
export async function signOutOtherDevices(actor: Actor, now: Date): Promise<number> {
  const scope = { kind: 'other_sessions', userId: actor.userId, keepSessionId: actor.sessionId, orgId: actor.orgId } as const;
  const result = await (await getStore()).revoke(scope, 'sign_out', now);
  return result.ok ? result.ended : 0;
}

/** Signs out every live device of the actor, the one acting included; returns how many ended. */
export async function signOutEverywhere(actor: Actor, now: Date): Promise<number> {
  const scope = { kind: 'all_sessions', userId: actor.userId, sessionId: actor.sessionId, orgId: actor.orgId } as const;
  const result = await (await getStore()).revoke(scope, 'sign_out', now);
  return result.ok ? result.ended : 0;
}

/** This browser's own sign-out, found from its token's claims (POST /sign-out). */
export async function signOutThisDevice(claims: { sub: string; jti: string }, now: Date): Promise<void> {
  await (await getStore()).revoke({ kind: 'session', userId: claims.sub, sessionId: claims.jti, fromSessionId: null }, 'sign_out', now);
}
