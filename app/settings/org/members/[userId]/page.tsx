import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Confirm } from '@/app/components/confirm';
import { LocalTime } from '@/app/components/local-time';
import { Outcome } from '@/app/components/outcome';
import { param, type SearchParams } from '@/app/components/search-params';
import { canManage } from '@/lib/orgs/access';
import type { MemberSessions } from '@/lib/store/types';
import { appContext } from '@/lib/web/context';
import { endAllMemberSessionsAction, endMemberSessionAction, removeMemberAction } from '../../actions';
import { ORG_PATH, requireOrgAdmin } from '../../guard';
import { outcomeOf } from '../../messages';

export const metadata: Metadata = { title: 'Member' };

type Props = { params: Promise<{ userId: string }>; searchParams: SearchParams };

/** One member's sessions in this org, for its owners and admins to end; never shown to members. */
export default async function MemberPage({ params, searchParams }: Props) {
  const { userId } = await params;
  const path = `${ORG_PATH}/members/${encodeURIComponent(userId)}`;
  const { session, role } = await requireOrgAdmin(path);
  // Scoped to the session's org: another org's member reads exactly like an unknown id.
  const { store, now } = await appContext();
  const member = userId.length <= 64 ? await store.listMemberSessions({ orgId: session.orgId, userId }, now()) : null;
  if (!member) notFound();
  const query = await searchParams;
  const manageable = canManage(role, member.role);
  const userField = <input type="hidden" name="userId" value={member.userId} />;
  const heading = (
    <>
      <p>
        <Link href={ORG_PATH}>← {session.orgName}</Link>
      </p>
      <h1>{member.email}</h1>
      <p className="muted">
        {member.role} of {session.orgName}
      </p>
    </>
  );

  const confirm = manageable ? param(query, 'confirm') : undefined;
  if (confirm === 'end-all' && member.sessions.length > 0) {
    const count = `${member.sessions.length} ${member.sessions.length === 1 ? 'session' : 'sessions'}`;
    return (
      <>
        {heading}
        <Confirm question={`End all ${count} of ${member.email} in ${session.orgName}?`} action={endAllMemberSessionsAction} fields={userField} yes={`Yes, end ${count}`} cancelHref={path}>
          <p>Each of their devices in this organisation is signed out and told an admin ended it. They can sign in again.</p>
        </Confirm>
      </>
    );
  }
  if (confirm === 'remove' && member.userId !== session.userId) {
    return (
      <>
        {heading}
        <Confirm question={`Remove ${member.email} from ${session.orgName}?`} action={removeMemberAction} fields={userField} yes={`Yes, remove ${member.email}`} cancelHref={path}>
          <p>Their sessions here end. They keep their account, their personal organisation and any others. To come back they need a new invitation.</p>
        </Confirm>
      </>
    );
  }

  return (
    <>
      {heading}
      <Outcome {...outcomeOf(param(query, 'done'), param(query, 'error'))} />
      <SessionsSection member={member} path={path} manageable={manageable} currentSessionId={session.sessionId} />
      {manageable && member.userId !== session.userId ? (
        <section className="card" aria-labelledby="remove-heading">
          <h2 id="remove-heading">Remove from organisation</h2>
          <p className="muted">Ends their sessions here. They keep their account and any other organisations.</p>
          <Link className="button danger" href={`${path}?confirm=remove`}>
            Remove {member.email}
          </Link>
        </section>
      ) : null}
      {!manageable ? <p className="muted">Only an owner can end an owner’s sessions.</p> : null}
    </>
  );
}

type SessionsProps = { member: MemberSessions; path: string; manageable: boolean; currentSessionId: string };

function SessionsSection({ member, path, manageable, currentSessionId }: SessionsProps) {
  return (
    <section className="card" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Sessions in this organisation</h2>
      {member.sessions.length === 0 ? <p className="muted">No live sessions.</p> : null}
      <ul className="plain">
        {member.sessions.map((device) => (
          <li key={device.id} className="device">
            <strong>
              <bdi>{device.deviceLabel ?? 'Unnamed device'}</bdi>
            </strong>
            {device.id === currentSessionId ? <span className="muted"> (your current session)</span> : null}
            <br />
            <span className="muted">
              Signed in <LocalTime iso={device.createdAt} format="datetime" /> · last active <LocalTime iso={device.lastSeenAt} format="datetime" />
            </span>
            {manageable ? (
              <form action={endMemberSessionAction}>
                <input type="hidden" name="userId" value={member.userId} />
                <input type="hidden" name="sessionId" value={device.id} />
                <button className="danger" type="submit" aria-label={`End session on ${device.deviceLabel ?? 'unnamed device'}`}>
                  End session
                </button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
      {manageable && member.sessions.length > 0 ? (
        <div className="actions">
          <Link className="button danger" href={`${path}?confirm=end-all`}>
            End all their sessions
          </Link>
        </div>
      ) : null}
    </section>
  );
}
