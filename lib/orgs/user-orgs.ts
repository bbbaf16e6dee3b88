import { getStore } from '../store';
import type { OrgResult, OrgScope, UserOrg } from '../store/types';

/** A person's own orgs: which they belong to, switching this session between them, leaving one. */

export type { OrgScope, UserOrg };

/** Every org `userId` belongs to, oldest membership first (the one a new session binds to). */
export async function listUserOrgs(userId: string): Promise<UserOrg[]> {
  return (await getStore()).listUserOrgs(userId);
}

/**
 * Moves one live session of `userId` to another org they belong to. The tokens carry no org, so
 * the very next request sees the new org; the switch is recorded in the security log.
 */
export async function switchSessionOrg(scope: OrgScope, now: Date): Promise<OrgResult> {
  return (await getStore()).switchSessionOrg(scope, now);
}

/**
 * `userId` leaves `orgId`, ending their sessions there (as a sign-out from another device). The
 * org this session is bound to cannot be left (switch first), so the person always keeps one
 * org to sign in to; the last owner cannot leave at all.
 */
export async function leaveOrg(scope: OrgScope, now: Date): Promise<OrgResult> {
  return (await getStore()).leaveOrg(scope, now);
}
