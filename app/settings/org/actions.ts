'use server';

import { refresh } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { getDb } from '@/lib/db';
import { roles } from '@/lib/db/schema';
import { ACTION_ERRORS, runOrgAction, type ActionResult } from '@/lib/orgs/action-result';
import { endAllMemberSessions, endMemberSession } from '@/lib/orgs/member-sessions';
import { addMember, removeMember } from '@/lib/orgs/members';
import { normalizeEmail } from '@/lib/users';
import { ORG_PATH, orgAdminActor } from './guard';

/**
 * Org admin actions. Each one: the session check (owner or admin of the session's org), zod on
 * the form, one lib call scoped in SQL to that org, a result. The org always comes from the
 * session, never from the form, so posting another org's ids reaches nothing.
 */

const id = z.string().min(1).max(64);
const NOT_FOUND: ActionResult = { ok: false, error: ACTION_ERRORS.not_found };
const INVALID: ActionResult = { ok: false, error: ACTION_ERRORS.invalid };

const addSchema = z.object({ email: z.string().max(254).transform(normalizeEmail).pipe(z.email()), role: z.enum(roles) });

export async function addMemberAction(_previous: ActionResult | null, form: FormData): Promise<ActionResult> {
  const actor = await orgAdminActor(ORG_PATH);
  if (!actor) return NOT_FOUND;
  const parsed = addSchema.safeParse({ email: form.get('email'), role: form.get('role') });
  if (!parsed.success) return INVALID;
  const result = runOrgAction('add_member', () => addMember(getDb(), actor, parsed.data, new Date()));
  if (result.ok) refresh();
  return result;
}

export async function removeMemberAction(_previous: ActionResult | null, form: FormData): Promise<ActionResult> {
  const actor = await orgAdminActor(ORG_PATH);
  if (!actor) return NOT_FOUND;
  const parsed = id.safeParse(form.get('userId'));
  if (!parsed.success) return INVALID;
  const result = runOrgAction('remove_member', () => removeMember(getDb(), actor, parsed.data, new Date()));
  if (result.ok) redirect(ORG_PATH); // their page no longer exists
  return result;
}

export async function endMemberSessionAction(_previous: ActionResult | null, form: FormData): Promise<ActionResult> {
  const actor = await orgAdminActor(ORG_PATH);
  if (!actor) return NOT_FOUND;
  const parsed = id.safeParse(form.get('sessionId'));
  if (!parsed.success) return INVALID;
  const result = runOrgAction('end_member_session', () => endMemberSession(getDb(), actor, parsed.data, new Date()));
  if (result.ok) refresh();
  return result;
}

export async function endAllMemberSessionsAction(_previous: ActionResult | null, form: FormData): Promise<ActionResult> {
  const actor = await orgAdminActor(ORG_PATH);
  if (!actor) return NOT_FOUND;
  const parsed = id.safeParse(form.get('userId'));
  if (!parsed.success) return INVALID;
  const result = runOrgAction('end_all_member_sessions', () => endAllMemberSessions(getDb(), actor, parsed.data, new Date()));
  if (result.ok) refresh();
  return result;
}
