'use server';

import { formOf } from '@/lib/web/action-body';
import { headers } from 'next/headers';
import { z } from 'zod';
import { appOriginFor } from '@/lib/web/request';
import type { Context } from '@/lib/auth/context';
import type { OrgActor } from '@/lib/orgs/access';
import { inviteMember } from '@/lib/orgs/invitations';
import { endAllMemberSessions, endMemberSession } from '@/lib/orgs/member-sessions';
import type { ActionResult } from '@/lib/web/action-result';
import { roles } from '@/lib/store/model';
import { normalizeEmail } from '@/lib/users';
import { finish, ORG_PATH, orgAdminActor } from './guard';

/**
 * The org admins' actions. Each one: the session check (owner or admin of the session's org),
 * zod on the form, one lib call scoped in SQL to that org, then a redirect saying what happened.
 * The org always comes from the session, never from the form, so another org's ids reach nothing.
 */

const id = z.string().min(1).max(64);
const inviteSchema = z.object({ email: z.string().max(254).transform(normalizeEmail).pipe(z.email()), role: z.enum(roles) });
const NOT_FOUND = { ok: false, error: 'not_found' } as const;
const INVALID = { ok: false, error: 'invalid' } as const;

const memberPage = (userId: string) => `${ORG_PATH}/members/${encodeURIComponent(userId)}`;

/** The steps every admin action shares: authorise (else not_found), parse (else invalid), act. */
async function asOrgAdmin<T>(
  name: string,
  parsed: z.ZodSafeParseResult<T>,
  operation: (context: Context, actor: OrgActor, input: T) => Promise<ActionResult>,
  done: { path: string; key: string },
  errorPath: string,
): Promise<never> {
  const actor = await orgAdminActor(ORG_PATH);
  return finish(
    name,
    async (context) => {
      if (!actor) return NOT_FOUND;
      if (!parsed.success) return INVALID;
      return operation(context, actor, parsed.data);
    },
    done,
    errorPath,
  );
}

/** Invites an address; the same answer whether or not it has an account. */
export async function inviteAction(argument: unknown): Promise<void> {
  const form = formOf(argument);
  const actor = await orgAdminActor(ORG_PATH);
  const parsed = inviteSchema.safeParse({ email: form.get('email'), role: form.get('role') });
  const incoming = await headers();
  const origin = appOriginFor(incoming, incoming.get('x-forwarded-proto') ?? 'http') ?? '';
  await finish(
    'invite',
    async (context) => {
      if (!actor) return NOT_FOUND;
      if (!parsed.success) return INVALID;
      return inviteMember(context, actor, parsed.data, (token) => `${origin}/invitations/${token}`);
    },
    { path: ORG_PATH, key: 'invited' },
    ORG_PATH,
  );
}

export async function revokeInvitationAction(argument: unknown): Promise<void> {
  const form = formOf(argument);
  const revoke = ({ store, now }: Context, actor: OrgActor, invitationId: string) => store.revokeInvitation(actor, invitationId, now());
  await asOrgAdmin('revoke_invitation', id.safeParse(form.get('invitationId')), revoke, { path: ORG_PATH, key: 'revoked' }, ORG_PATH);
}

export async function removeMemberAction(argument: unknown): Promise<void> {
  const form = formOf(argument);
  const userId = id.safeParse(form.get('userId'));
  const back = userId.success ? memberPage(userId.data) : ORG_PATH;
  const remove = ({ store, now }: Context, actor: OrgActor, member: string) => store.removeMember(actor, member, now());
  await asOrgAdmin('remove_member', userId, remove, { path: ORG_PATH, key: 'removed' }, back);
}

export async function endMemberSessionAction(argument: unknown): Promise<void> {
  const form = formOf(argument);
  const parsed = z.object({ userId: id, sessionId: id }).safeParse({ userId: form.get('userId'), sessionId: form.get('sessionId') });
  const back = parsed.success ? memberPage(parsed.data.userId) : ORG_PATH;
  await asOrgAdmin('end_member_session', parsed, (context, actor, input) => endMemberSession(context, actor, input.sessionId), { path: back, key: 'session-ended' }, back);
}

export async function endAllMemberSessionsAction(argument: unknown): Promise<void> {
  const form = formOf(argument);
  const userId = id.safeParse(form.get('userId'));
  const back = userId.success ? memberPage(userId.data) : ORG_PATH;
  await asOrgAdmin('end_all_member_sessions', userId, endAllMemberSessions, { path: back, key: 'sessions-ended' }, back);
}
