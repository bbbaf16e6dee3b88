'use server';

import { z } from 'zod';
import { finish } from '@/app/settings/org/guard';
import { normalizeOrgName } from '@/lib/orgs/org-name';
import { formOf } from '@/lib/web/action-body';
import { requireActionSession } from '@/lib/web/session';

/** A person's own org actions: move this session to another of their orgs, leave one, create one. */

const orgId = z.string().min(1).max(64);
const INVALID = { ok: false, error: 'invalid' } as const;
const ORGS_PATH = '/orgs';

async function scopeFor(form: FormData) {
  const session = await requireActionSession(ORGS_PATH);
  const parsed = orgId.safeParse(form.get('orgId'));
  return parsed.success ? { userId: session.userId, sessionId: session.sessionId, orgId: parsed.data } : null;
}

export async function switchOrgAction(argument: unknown): Promise<void> {
  const form = formOf(argument);
  const scope = await scopeFor(form);
  await finish('switch_org', async ({ store, now }) => (scope ? store.switchSessionOrg(scope, now()) : INVALID), { path: ORGS_PATH, key: 'switched' }, ORGS_PATH);
}

export async function leaveOrgAction(argument: unknown): Promise<void> {
  const form = formOf(argument);
  const scope = await scopeFor(form);
  await finish('leave_org', async ({ store, now }) => (scope ? store.leaveOrg(scope, now()) : INVALID), { path: ORGS_PATH, key: 'left' }, ORGS_PATH);
}

/** Creates an org owned by this person; this session moves into it, so its page comes next. */
export async function createOrgAction(argument: unknown): Promise<void> {
  const form = formOf(argument);
  const session = await requireActionSession(ORGS_PATH);
  const name = normalizeOrgName(form.get('name'));
  const actor = { userId: session.userId, sessionId: session.sessionId };
  await finish('create_org', async ({ store, now }) => (name ? store.createOrg(actor, name, now()) : INVALID), { path: '/settings/org', key: 'created' }, ORGS_PATH);
}
