'use server';

import { refresh } from 'next/cache';
import { z } from 'zod';
import { requireActionSession } from '@/lib/auth/current-session';
import { isFormData } from '@/lib/http/action-body';
import { ACTION_ERRORS, runOrgAction, type ActionResult } from '@/lib/orgs/action-result';
import type { OrgResult } from '@/lib/orgs/access';
import { leaveOrg, switchSessionOrg, type OrgScope } from '@/lib/orgs/user-orgs';

/** A person's own org actions: move this session to another of their orgs, or leave one. */

const orgId = z.string().min(1).max(64);
const INVALID: ActionResult = { ok: false, error: ACTION_ERRORS.invalid };

/** The steps both actions share: the session check, the org id from the form, one operation. */
async function onOwnOrg(name: string, form: unknown, operation: (scope: OrgScope, now: Date) => Promise<OrgResult>): Promise<ActionResult> {
  const session = await requireActionSession('/orgs');
  // A hand-made call can send anything in place of the form.
  if (!isFormData(form)) return INVALID;
  const parsed = orgId.safeParse(form.get('orgId'));
  if (!parsed.success) return INVALID;
  const scope = { userId: session.userId, sessionId: session.sessionId, orgId: parsed.data };
  const result = await runOrgAction(name, () => operation(scope, new Date()));
  if (result.ok) refresh();
  return result;
}

export async function switchOrgAction(_previous: ActionResult | null, form: FormData): Promise<ActionResult> {
  return onOwnOrg('switch_org', form, (scope, now) => switchSessionOrg(scope, now));
}

export async function leaveOrgAction(_previous: ActionResult | null, form: FormData): Promise<ActionResult> {
  return onOwnOrg('leave_org', form, (scope, now) => leaveOrg(scope, now));
}
