import type { Context } from '../auth/context';
import type { Role } from '../store/model';

/**
 * The org's owners and admins, for any member to know whom to ask: addresses and roles only,
 * never anyone's sessions or devices (P3). (Admins list every member with `store.listMembers`.)
 */
export type OrgContact = { email: string; role: Extract<Role, 'owner' | 'admin'> };

export async function listOrgContacts({ store, now }: Context, orgId: string): Promise<OrgContact[]> {
  const members = await store.listMembers(orgId, now());
  return members.flatMap(({ email, role }) => (role === 'owner' || role === 'admin' ? [{ email, role }] : []));
}
