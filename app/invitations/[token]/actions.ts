'use server';

import { formOf } from '@/lib/web/action-body';
import { redirect } from 'next/navigation';
import { requireActionSession } from '@/lib/web/session';
import { unlessUnavailable } from '@/lib/web/action-result';
import { appContext } from '@/lib/web/context';
import { acceptInvitation, declineInvitation, invitationTokenHash } from '@/lib/orgs/invitations';
import { withParam } from '@/app/components/search-params';

/**
 * The invited person's answer. The token comes from the page's form; the store checks it is
 * pending and that this session's person is the invited address, so a token posted by anyone else
 * changes nothing. Then back to a page that says what happened.
 */

async function answer(form: FormData, choice: 'accept' | 'decline'): Promise<never> {
  const raw = form.get('token');
  const token = typeof raw === 'string' && invitationTokenHash(raw) ? raw : null;
  const page = token ? `/invitations/${token}` : '/';
  const session = await requireActionSession(page);
  const actor = { userId: session.userId, sessionId: session.sessionId };
  const result = await unlessUnavailable(`${choice}_invitation`, async () => {
    if (!token) return { ok: false as const, error: 'not_found' as const };
    return (choice === 'accept' ? acceptInvitation : declineInvitation)(await appContext(), actor, token);
  });
  if (!result.ok) redirect(withParam(page, 'error', result.error));
  redirect(choice === 'accept' ? '/settings/org?done=joined' : withParam(page, 'done', 'declined'));
}

export async function acceptInvitationAction(argument: unknown): Promise<void> {
  const form = formOf(argument);
  await answer(form, 'accept');
}

export async function declineInvitationAction(argument: unknown): Promise<void> {
  const form = formOf(argument);
  await answer(form, 'decline');
}
