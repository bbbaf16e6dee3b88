import { getStore } from '../store';
import type { OrgResult, OrgScope, UserOrg } from '../store/types';

/** A person's own orgs: which they belong to, switching this session between them, leaving one. */

export type { OrgScope, UserOrg };

/** Every org `userId` belongs to: their personal org first, then by when they joined. */
export async function listUserOrgs(userId: string): Promise<UserOrg[]> {
  return (await getStore()).listUserOrgs(userId);
}

/**
 * Moves one live session of `userId` to another org they belong to. The tokens carry no org, so
 * the very next request sees the new org; the switch is recorded in the security log, and the
 * person's next sign-in lands where they worked last.
 */
export async function switchSessionOrg(scope: OrgScope, now: Date): Promise<OrgResult> {
  return (await getStore()).switchSessionOrg(scope, now);
}

/**
 * `userId` leaves `orgId`: the org stops seeing them at once (P3), and their sessions there move
 * to their personal org, this one included. Their personal org is never left; the last owner
 * cannot leave (they hand ownership over or delete the org first).
 */
export async function leaveOrg(scope: OrgScope, now: Date): Promise<OrgResult> {
  return (await getStore()).leaveOrg(scope, now);
}
