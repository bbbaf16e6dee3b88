'use server';

import { formOf } from '@/lib/web/action-body';
import { z } from 'zod';
import type { Context } from '@/lib/auth/context';
import { requireActionSession } from '@/lib/web/session';
import { normalizeOrgName } from '@/lib/orgs/org-name';
import { finish, ORG_PATH } from './guard';

/**
 * The actions on the org itself, for whoever is in it: renaming, handing ownership over and
 * deleting (owners; the store says `forbidden` or `not_found` to anyone else), and leaving (anyone
 * but the last owner). The org is the session's, never one named in the form.
 */

const INVALID = { ok: false, error: 'invalid' } as const;
const id = z.string().min(1).max(64);

async function inSessionOrg() {
  const session = await requireActionSession(ORG_PATH);
  return { userId: session.userId, sessionId: session.sessionId, orgId: session.orgId };
}

export async function renameOrgAction(argument: unknown): Promise<void> {
  const form = formOf(argument);
  const scope = await inSessionOrg();
  const name = normalizeOrgName(form.get('name'));
  await finish('rename_org', async ({ store, now }) => (name ? store.renameOrg(scope, name, now()) : INVALID), { path: ORG_PATH, key: 'renamed' }, ORG_PATH);
}

export async function transferOwnershipAction(argument: unknown): Promise<void> {
  const form = formOf(argument);
  const scope = await inSessionOrg();
  const to = id.safeParse(form.get('toUserId'));
  const operation = async ({ store, now }: Context) => (to.success ? store.transferOwnership(scope, to.data, now()) : INVALID);
  await finish('transfer_ownership', operation, { path: ORG_PATH, key: 'transferred' }, ORG_PATH);
}

/** Deletes the session's org; the typed name must be the org's, checked in the same transaction. */
export async function deleteOrgAction(argument: unknown): Promise<void> {
  const form = formOf(argument);
  const scope = await inSessionOrg();
  // Normalised as names are when saved, so what the person sees is what they may type.
  const typed = normalizeOrgName(form.get('confirmName')) ?? '';
  const operation = ({ store, now }: Context) => store.deleteOrg(scope, typed, now());
  await finish('delete_org', operation, { path: ORG_PATH, key: 'deleted' }, `${ORG_PATH}?confirm=delete`);
}

/** Leaves the session's org: this device and the person's others in it move to their personal org. */
export async function leaveCurrentOrgAction(): Promise<void> {
  const scope = await inSessionOrg();
  await finish('leave_org', ({ store, now }) => store.leaveOrg(scope, now()), { path: ORG_PATH, key: 'left' }, ORG_PATH);
}
