import type { Context } from '../auth/context';
import type { OrgActor, OrgResult, Revoked } from '../store/types';

/** An org admin ends sessions of their org's members (reason `admin`, so each device is told why). */

/**
 * Ends one session of the actor's org. The row is looked up by id *and* the actor's org, so a
 * session of another org, an unknown id and an already ended one all get the same `{ ok: true }`.
 */
export async function endMemberSession({ store, now }: Context, actor: OrgActor, sessionId: string): Promise<OrgResult> {
  return asOrgResult(await store.revoke({ kind: 'org_session', actor, sessionId }, 'admin', now()));
}

/** Ends all of one member's sessions in the actor's org; `not_found` unless they are a member of it. */
export async function endAllMemberSessions({ store, now }: Context, actor: OrgActor, userId: string): Promise<OrgResult> {
  return asOrgResult(await store.revoke({ kind: 'org_member', actor, userId }, 'admin', now()));
}

function asOrgResult(result: Revoked): OrgResult {
  return result.ok ? { ok: true } : result;
}
