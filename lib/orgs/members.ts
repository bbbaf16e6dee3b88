import { getStore } from '../store';
import type { Role } from '../store/model';
import type { MemberSummary, OrgActor, OrgResult } from '../store/types';

/** An org's members: list them with their live-session counts, add one by email, remove one. */

export type { MemberSummary };

/** Every member of `orgId`, owners first, with how many live sessions each has in this org. */
export async function listMembers(orgId: string, now: Date): Promise<MemberSummary[]> {
  return (await getStore()).listMembers(orgId, now);
}

/**
 * Adds `email` (already normalised) to the actor's org with `role`. The answer is the same
 * whether or not the address has an account, so adding people never reveals who has one. Only
 * owners may make owners.
 */
export async function addMember(actor: OrgActor, input: { email: string; role: Role }, now: Date): Promise<OrgResult> {
  return (await getStore()).addMember(actor, input, now);
}

/**
 * Removes a member from the actor's org and ends their sessions in it (reason `admin`, so each
 * device is told an admin ended it). Admins cannot remove owners, the org always keeps an owner,
 * and people leave through `leaveOrg` rather than removing themselves here.
 */
export async function removeMember(actor: OrgActor, userId: string, now: Date): Promise<OrgResult> {
  return (await getStore()).removeMember(actor, userId, now);
}
