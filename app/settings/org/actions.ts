'use server';

import { refresh } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import type { ConfirmableResult } from '@/app/components/confirm-action-form';
import { isConfirmed } from '@/app/components/form-fields';
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
const ASK_FIRST: ConfirmableResult = { ok: false, confirm: true };

const addSchema = z.object({ email: z.string().max(254).transform(normalizeEmail).pipe(z.email()), role: z.enum(roles) });

type Checked<T> = { actor: OrgActor; input: T } | { refused: ActionResult };

/**
 * The steps every admin action shares, in order: the caller must be an owner or admin of their
 * session's org (otherwise the same answer as an unknown id), then the form must parse.
 */
async function checked<T>(parse: () => z.ZodSafeParseResult<T>): Promise<Checked<T>> {
  const actor = await orgAdminActor(ORG_PATH);
  if (!actor) return { refused: NOT_FOUND };
  const parsed = parse();
  return parsed.success ? { actor, input: parsed.data } : { refused: INVALID };
}

/** Then one operation runs, its failures in words. */
async function asOrgAdmin<T>(name: string, parse: () => z.ZodSafeParseResult<T>, operation: (actor: OrgActor, input: T, now: Date) => Promise<OrgResult>): Promise<ActionResult> {
  const check = await checked(parse);
  if ('refused' in check) return check.refused;
  return runOrgAction(name, () => operation(check.actor, check.input, new Date()));
}

/**
 * The same for actions that end someone's access: nothing runs until the form says the person
 * answered the confirmation step (ConfirmActionForm; issue 13, item 9).
 */
async function asOrgAdminOnceConfirmed<T>(
  name: string,
  form: FormData,
  parse: () => z.ZodSafeParseResult<T>,
  operation: (actor: OrgActor, input: T, now: Date) => Promise<OrgResult>,
): Promise<ConfirmableResult> {
  const check = await checked(parse);
  if ('refused' in check) return check.refused;
  if (!isConfirmed(form)) return ASK_FIRST;
  return runOrgAction(name, () => operation(check.actor, check.input, new Date()));
}

export async function addMemberAction(_previous: ActionResult | null, form: FormData): Promise<ActionResult> {
  const parse = () => addSchema.safeParse({ email: form.get('email'), role: form.get('role') });
  const result = await asOrgAdmin('add_member', parse, (actor, input, now) => addMember(actor, input, now));
  if (result.ok) refresh();
  return result;
}

export async function removeMemberAction(_previous: ConfirmableResult | null, form: FormData): Promise<ConfirmableResult> {
  const parse = () => id.safeParse(form.get('userId'));
  const result = await asOrgAdminOnceConfirmed('remove_member', form, parse, (actor, userId, now) => removeMember(actor, userId, now));
  if (result.ok) redirect(ORG_PATH); // their page no longer exists
  return result;
}

export async function endMemberSessionAction(_previous: ConfirmableResult | null, form: FormData): Promise<ConfirmableResult> {
  const parse = () => id.safeParse(form.get('sessionId'));
  const result = await asOrgAdminOnceConfirmed('end_member_session', form, parse, (actor, sessionId, now) => endMemberSession(actor, sessionId, now));
  if (result.ok) refresh();
  return result;
}

export async function endAllMemberSessionsAction(_previous: ConfirmableResult | null, form: FormData): Promise<ConfirmableResult> {
  const parse = () => id.safeParse(form.get('userId'));
  const result = await asOrgAdminOnceConfirmed('end_all_member_sessions', form, parse, (actor, userId, now) => endAllMemberSessions(actor, userId, now));
  if (result.ok) refresh();
  return result;
}
