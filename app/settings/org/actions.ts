'use server';

import { refresh } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { isFormData } from '@/lib/http/action-body';
import { roles } from '@/lib/store/model';
import type { OrgActor, OrgResult } from '@/lib/orgs/access';
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

/**
 * The steps every admin action shares, in order: the caller must be an owner or admin of their
 * session's org (otherwise the same answer as an unknown id), then the argument must be a form
 * (a hand-made call can send anything) that parses, then one operation runs, its failures in words.
 */
async function asOrgAdmin<T>(
  name: string,
  form: unknown,
  parse: (form: FormData) => z.ZodSafeParseResult<T>,
  operation: (actor: OrgActor, input: T, now: Date) => Promise<OrgResult>,
): Promise<ActionResult> {
  const actor = await orgAdminActor(ORG_PATH);
  if (!actor) return NOT_FOUND;
  if (!isFormData(form)) return INVALID;
  const parsed = parse(form);
  if (!parsed.success) return INVALID;
  return runOrgAction(name, () => operation(actor, parsed.data, new Date()));
}

export async function addMemberAction(_previous: ActionResult | null, form: FormData): Promise<ActionResult> {
  const parse = (fields: FormData) => addSchema.safeParse({ email: fields.get('email'), role: fields.get('role') });
  const result = await asOrgAdmin('add_member', form, parse, (actor, input, now) => addMember(actor, input, now));
  if (result.ok) refresh();
  return result;
}

export async function removeMemberAction(_previous: ActionResult | null, form: FormData): Promise<ActionResult> {
  const parse = (fields: FormData) => id.safeParse(fields.get('userId'));
  const result = await asOrgAdmin('remove_member', form, parse, (actor, userId, now) => removeMember(actor, userId, now));
  if (result.ok) redirect(ORG_PATH); // their page no longer exists
  return result;
}

export async function endMemberSessionAction(_previous: ActionResult | null, form: FormData): Promise<ActionResult> {
  const parse = (fields: FormData) => id.safeParse(fields.get('sessionId'));
  const result = await asOrgAdmin('end_member_session', form, parse, (actor, sessionId, now) => endMemberSession(actor, sessionId, now));
  if (result.ok) refresh();
  return result;
}

export async function endAllMemberSessionsAction(_previous: ActionResult | null, form: FormData): Promise<ActionResult> {
  const parse = (fields: FormData) => id.safeParse(fields.get('userId'));
  const result = await asOrgAdmin('end_all_member_sessions', form, parse, (actor, userId, now) => endAllMemberSessions(actor, userId, now));
  if (result.ok) refresh();
  return result;
}
