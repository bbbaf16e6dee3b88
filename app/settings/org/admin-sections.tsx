import Link from 'next/link';
import { LocalTime } from '@/app/components/local-time';
import type { MemberSummary } from '@/lib/store/types';
import type { PendingInvitation } from '@/lib/orgs/invitations';
import type { AdminRole } from '@/lib/orgs/access';
import { inviteAction } from './actions';
import { ORG_PATH } from './guard';
import { INVITATION_LIMITS } from './messages';
import { SubmitRow } from '@/app/components/submit-row';

/** What owners and admins see of their org: its members, inviting people, pending invitations. */

export function MembersSection({ members }: { members: MemberSummary[] }) {
  return (
    <section className="card" aria-labelledby="members-heading">
      <h2 id="members-heading">Members</h2>
      <table className="list">
        <thead>
          <tr>
            <th scope="col">Member</th>
            <th scope="col">Role</th>
            <th scope="col">Live sessions</th>
          </tr>
        </thead>
        <tbody>
          {members.map((member) => (
            <tr key={member.userId}>
              <td>
                <Link href={`${ORG_PATH}/members/${member.userId}`}>{member.email}</Link>
              </td>
              <td>{member.role}</td>
              <td>{member.liveSessions}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function InviteSection({ role }: { role: AdminRole }) {
  return (
    <section className="card" aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite someone</h2>
      <p className="muted">
        They get an email saying who invited them, to which organisation and with which role. They join only if they accept, signed in with that address;
        until then you see nothing of theirs.
      </p>
      <form action={inviteAction}>
        <label htmlFor="invite-email">Email address</label>
        <input id="invite-email" name="email" type="email" required maxLength={254} autoComplete="off" />
        <label htmlFor="invite-role">Role</label>
        <select id="invite-role" name="role" defaultValue="member">
          <option value="member">Member</option>
          <option value="admin">Admin</option>
          {role === 'owner' ? <option value="owner">Owner</option> : null}
        </select>
        <SubmitRow>Invite</SubmitRow>
      </form>
      <p className="muted">
        {role === 'owner' ? '' : 'Only owners can invite owners. '}
        {INVITATION_LIMITS}
      </p>
    </section>
  );
}

export function PendingInvitations({ invitations }: { invitations: PendingInvitation[] }) {
  return (
    <section className="card" aria-labelledby="pending-heading">
      <h2 id="pending-heading">Pending invitations</h2>
      {invitations.length === 0 ? <p className="muted">None.</p> : null}
      <ul className="plain">
        {invitations.map((invitation) => (
          <li key={invitation.id} className="device">
            <strong>{invitation.email}</strong> <span className="muted">as {invitation.role}</span>
            <br />
            <span className="muted">
              Invited by {invitation.invitedByEmail} · expires <LocalTime iso={invitation.expiresAt} format="datetime" />
              {invitation.mailed ? '' : ' · not emailed: that address had too many invitations today'}
            </span>
            <div className="actions">
              <Link className="button" href={`${ORG_PATH}?confirm=revoke&invitation=${encodeURIComponent(invitation.id)}`} aria-label={`Revoke the invitation to ${invitation.email}`}>
                Revoke
              </Link>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
