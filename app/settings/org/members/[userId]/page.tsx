import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ActionForm } from '@/app/components/action-form';
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
              <strong>
                <bdi>{device.deviceLabel ?? 'Unnamed device'}</bdi>
              </strong>
              {device.id === session.sessionId ? <span className="muted"> (your current session)</span> : null}
              <br />
              <span className="muted">
                Signed in <LocalTime iso={device.createdAt} format="datetime" /> · last active <LocalTime iso={device.lastSeenAt} format="datetime" />
              </span>
              {manageable ? (
                <ActionForm action={endMemberSessionAction} done="Session ended.">
                  <input type="hidden" name="sessionId" value={device.id} />
                  <button className="danger" type="submit" aria-label={`End session on ${device.deviceLabel ?? 'unnamed device'}`}>
                    End session
                  </button>
                </ActionForm>
              ) : null}
            </li>
          ))}
        </ul>
        {manageable && member.sessions.length > 0 ? (
          <ActionForm action={endAllMemberSessionsAction} done="All their sessions in this organisation ended." className="actions">
            <input type="hidden" name="userId" value={member.userId} />
            <button className="danger" type="submit">
              End all their sessions
            </button>
          </ActionForm>
        ) : null}
      </section>
      {manageable && member.userId !== session.userId ? (
        <section className="card" aria-labelledby="remove-heading">
          <h2 id="remove-heading">Remove from organisation</h2>
          <p className="muted">Ends their sessions here. They keep their account and any other organisations.</p>
          <ActionForm action={removeMemberAction} done="Removed.">
            <input type="hidden" name="userId" value={member.userId} />
            <button className="danger" type="submit">
              Remove {member.email}
            </button>
          </ActionForm>
        </section>
      ) : null}
      {!manageable ? <p className="muted">Only an owner can end an owner’s sessions.</p> : null}
    </>
  );
}
