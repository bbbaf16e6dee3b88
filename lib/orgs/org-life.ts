import { getStore } from '../store';
import type { OrgActor, OrgCreated, OrgResult, OrgScope, SessionActor } from '../store/types';

/** An org's life: creating, renaming, handing ownership over and deleting it. Names arrive normalised (org-name.ts). */

/** A new org owned by the actor; this session moves into it. At most ORGS_CREATED_PER_DAY a day. */
export async function createOrg(actor: SessionActor, name: string, now: Date): Promise<OrgCreated> {
  return (await getStore()).createOrg(actor, name, now);
}

/** Owners rename their org, their personal one included. */
export async function renameOrg(actor: OrgActor, name: string, now: Date): Promise<OrgResult> {
  return (await getStore()).renameOrg(actor, name, now);
}

/** An owner makes another member the owner and becomes an admin; the org always keeps an owner. */
export async function transferOwnership(actor: OrgActor, toUserId: string, now: Date): Promise<OrgResult> {
  return (await getStore()).transferOwnership(actor, toUserId, now);
}

/**
 * An owner deletes their org, naming it to confirm. Every other session in it ends (each device
 * is told why); this one moves to the owner's personal org; members fall back to theirs.
 */
export async function deleteOrg(scope: OrgScope, confirmName: string, now: Date): Promise<OrgResult> {
  return (await getStore()).deleteOrg(scope, confirmName, now);
}
