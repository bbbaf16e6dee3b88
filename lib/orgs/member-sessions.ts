import { getStore } from '../store';
import type { MemberSession, MemberSessions, OrgActor, OrgResult, Revoked } from '../store/types';

/** An org admin's view of one member's sessions in that org, and ending them (reason `admin`). */

export type { MemberSession, MemberSessions };

/** The member's live sessions in `orgId`, newest first; null when they are not a member of it. */
export async function listMemberSessions(scope: { orgId: string; userId: string }, now: Date): Promise<MemberSessions | null> {
  return (await getStore()).listMemberSessions(scope, now);
}

/**
 * An admin ends one session of their org. The row is looked up by id *and* the actor's org, so a
 * session of another org, an unknown id and an already ended one all get the same `{ ok: true }`.
 */
export async function endMemberSession(actor: OrgActor, sessionId: string, now: Date): Promise<OrgResult> {
  return asOrgResult(await (await getStore()).revoke({ kind: 'org_session', actor, sessionId }, 'admin', now));
}

/** An admin ends all of one member's sessions in their org; `not_found` unless they are a member of it. */
export async function endAllMemberSessions(actor: OrgActor, userId: string, now: Date): Promise<OrgResult> {
  return asOrgResult(await (await getStore()).revoke({ kind: 'org_member', actor, userId }, 'admin', now));
}

function asOrgResult(result: Revoked): OrgResult {
  return result.ok ? { ok: true } : result;
}
