import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { LocalTime } from '@/app/components/local-time';
import { Outcome } from '@/app/components/outcome';
import { param, type SearchParams } from '@/app/components/search-params';
import { SignOutButton } from '@/app/components/sign-out-button';
import { outcomeOf, ROLE_WORDS } from '@/app/settings/org/messages';
import { appContext } from '@/lib/web/context';
import { requireSession } from '@/lib/web/session';
import { findInvitation, invitationTokenHash, type InvitationView } from '@/lib/orgs/invitations';
import { acceptInvitationAction, declineInvitationAction } from './actions';

export const metadata: Metadata = { title: 'Invitation' };

type Props = { params: Promise<{ token: string }>; searchParams: SearchParams };

/**
 * Where an invitation email leads. Opening it changes nothing: the person signs in first if they
 * must (and comes back here), sees who invites them, to which org and with which role, and then
 * chooses. Only the invited address sees any of that; anyone else holding the link learns only
 * that it is not theirs.
 */
export default async function InvitationPage({ params, searchParams }: Props) {
  const { token } = await params;
  if (!invitationTokenHash(token)) notFound();
  const session = await requireSession(`/invitations/${token}`);
  const invitation = await findInvitation(await appContext(), token);
  if (!invitation) notFound();
  const query = await searchParams;

  if (invitation.email !== session.email) {
    return (
      <section className="card" aria-labelledby="invitation-heading">
        <h1 id="invitation-heading">This invitation is for another address</h1>
        <p>
          You are signed in as {session.email}. Sign out, then open the link in the email again and sign in with the address it was sent to.
        </p>
        <SignOutButton />
      </section>
    );
  }

  return (
    <section className="card" aria-labelledby="invitation-heading">
      <h1 id="invitation-heading">Invitation to {invitation.orgName}</h1>
      <Outcome {...outcomeOf(param(query, 'done'), param(query, 'error'))} />
      <p>
        {invitation.inviterEmail} invited you to join {invitation.orgName} as {ROLE_WORDS[invitation.role]}.
      </p>
      <Answer invitation={invitation} token={token} />
    </section>
  );
}

function Answer({ invitation, token }: { invitation: InvitationView; token: string }) {
  switch (invitation.status) {
    case 'pending':
      return (
        <>
          <p>
            If you accept, the owners and admins of {invitation.orgName} can see the devices you use in it (their names, and when they were last active) and
            sign them out. Your devices in your other organisations stay out of their sight. You can leave at any time.
          </p>
          <p className="muted">
            The invitation works until <LocalTime iso={invitation.expiresAt} format="datetime" />. Nothing changes unless you accept.
          </p>
          <div className="actions">
            <form action={acceptInvitationAction}>
              <input type="hidden" name="token" value={token} />
              <button className="primary" type="submit">
                Accept and join {invitation.orgName}
              </button>
            </form>
            <form action={declineInvitationAction}>
              <input type="hidden" name="token" value={token} />
              <button type="submit">Decline</button>
            </form>
          </div>
        </>
      );
    case 'accepted':
      return (
        <p>
          You accepted this invitation. <Link href="/orgs">Your organisations</Link>
        </p>
      );
    case 'declined':
      return <p>You declined this invitation. Nothing was shared with {invitation.orgName}.</p>;
    case 'revoked':
      return <p>{invitation.orgName} withdrew this invitation. Nothing was shared with them.</p>;
    case 'expired':
      return (
        <p>
          This invitation expired on <LocalTime iso={invitation.expiresAt} format="datetime" />. Nothing was shared with {invitation.orgName}. Ask{' '}
          {invitation.inviterEmail} for a new one if you want to join.
        </p>
      );
  }
}
