import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ConfirmActionForm } from '@/app/components/confirm-action-form';
import { LocalTime } from '@/app/components/local-time';
import { canManage } from '@/lib/orgs/access';
import { listMemberSessions } from '@/lib/orgs/member-sessions';
import { endAllMemberSessionsAction, endMemberSessionAction, removeMemberAction } from '../../actions';
import { ORG_PATH, requireOrgAdmin } from '../../guard';

export const metadata: Metadata = { title: 'Member' };

type Props = { params: Promise<{ userId: string }> };

/** One member's sessions in this org, for its owners and admins to end. */
export default async function MemberPage({ params }: Props) {
  const { userId } = await params;
  const { session, role } = await requireOrgAdmin(`${ORG_PATH}/members/${encodeURIComponent(userId)}`);
  // Scoped to the session's org: another org's member reads exactly like an unknown id.
  const member = userId.length <= 64 ? await listMemberSessions({ orgId: session.orgId, userId }, new Date()) : null;
  if (!member) notFound();
  const manageable = canManage(role, member.role);
  const here = `${ORG_PATH}/members/${encodeURIComponent(member.userId)}`;

  return (
    <>
      <p>
        <Link href={ORG_PATH}>← {session.orgName}</Link>
      </p>
      <h1>{member.email}</h1>
      <p className="muted">
        {member.role} of {session.orgName}
      </p>
      <section className="card" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading">Sessions in this organisation</h2>
        {member.sessions.length === 0 ? <p className="muted">No live sessions.</p> : null}
        <ul className="plain">
          {member.sessions.map((device) => (
            <li key={device.id} className="device">
              <strong>{device.deviceLabel ?? 'Unnamed device'}</strong>
              {device.id === session.sessionId ? <span className="muted"> (your current session)</span> : null}
              <br />
              <span className="muted">
                Signed in <LocalTime iso={device.createdAt} format="datetime" /> · last active <LocalTime iso={device.lastSeenAt} format="datetime" />
              </span>
              {manageable ? (
                <ConfirmActionForm
                  action={endMemberSessionAction}
                  done="Session ended."
                  fields={{ sessionId: device.id }}
                  trigger={
                    <>
                      End session<span className="sr-only"> on {device.deviceLabel ?? 'unnamed device'}</span>
                    </>
                  }
                  triggerClassName="danger"
                  question={`End the session on ${device.deviceLabel ?? 'unnamed device'}?`}
                  detail="That device will need a new emailed code to sign in again."
                  confirmLabel={`Yes, end the session on ${device.deviceLabel ?? 'unnamed device'}`}
                  pendingLabel="Ending…"
                  cancelHref={here}
                />
              ) : null}
            </li>
          ))}
        </ul>
        {manageable && member.sessions.length > 0 ? (
          <ConfirmActionForm
            action={endAllMemberSessionsAction}
            done="All their sessions in this organisation ended."
            className="actions"
            fields={{ userId: member.userId }}
            trigger="End all their sessions"
            triggerClassName="danger"
            question={`End all of ${member.email}’s sessions here?`}
            detail="Every device they use in this organisation will need a new emailed code."
            confirmLabel="Yes, end all their sessions"
            pendingLabel="Ending…"
            cancelHref={here}
          />
        ) : null}
      </section>
      {manageable && member.userId !== session.userId ? (
        <section className="card" aria-labelledby="remove-heading">
          <h2 id="remove-heading">Remove from organisation</h2>
          <p className="muted">Ends their sessions here. They keep their account and any other organisations.</p>
          <ConfirmActionForm
            action={removeMemberAction}
            done="Removed."
            fields={{ userId: member.userId }}
            trigger={`Remove ${member.email}`}
            triggerClassName="danger"
            question={`Remove ${member.email} from this organisation?`}
            detail="Their sessions here end at once."
            confirmLabel={`Yes, remove ${member.email}`}
            pendingLabel="Removing…"
            cancelHref={here}
          />
        </section>
      ) : null}
      {!manageable ? <p className="muted">Only an owner can end an owner’s sessions.</p> : null}
    </>
  );
}
