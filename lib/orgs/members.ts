import { getStore } from '../store';
import type { Role } from '../store/model';
import type { MemberSummary, OrgActor, OrgResult } from '../store/types';

/** An org's members: the list its admins manage, the owners and admins everyone sees, removing one. */

export type { MemberSummary };

/** Every member of `orgId`, owners first, with how many live sessions each has in this org. For its admins only. */
export async function listMembers(orgId: string, now: Date): Promise<MemberSummary[]> {
  return (await getStore()).listMembers(orgId, now);
}

export type OrgContact = { email: string; role: Extract<Role, 'owner' | 'admin'> };

/**
 * The org's owners and admins, for any member to know whom to ask: addresses and roles only,
 * never anyone's sessions or devices (P3).
 */
export async function listOrgContacts(orgId: string, now: Date): Promise<OrgContact[]> {
  const members = await (await getStore()).listMembers(orgId, now);
  return members.flatMap(({ email, role }) => (role === 'owner' || role === 'admin' ? [{ email, role }] : []));
}

/**
 * Removes a member from the actor's org and ends their sessions in it (reason `admin`, so each
 * device is told an admin ended it). Admins cannot remove owners, the org always keeps an owner,
 * and people leave through `leaveOrg` rather than removing themselves here.
 */
export async function removeMember(actor: OrgActor, userId: string, now: Date): Promise<OrgResult> {
  return (await getStore()).removeMember(actor, userId, now);
}
