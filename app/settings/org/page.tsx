import type { Metadata } from 'next';
import Link from 'next/link';
import { ActionForm } from '@/app/components/action-form';
import { ActivityList } from '@/app/components/activity-list';
import { listOrgActivity } from '@/lib/auth/activity';
import { listMembers } from '@/lib/orgs/members';
import { addMemberAction } from './actions';
import { ORG_PATH, requireOrgAdmin } from './guard';

export const metadata: Metadata = { title: 'Organisation' };

/** The org area: members with their live sessions, adding people, and the org's security log. */
export default async function OrgPage() {
  const { session, role } = await requireOrgAdmin(ORG_PATH);
  const members = await listMembers(session.orgId, new Date());
  const activity = await listOrgActivity(session.orgId);

  return (
    <>
      <h1>{session.orgName}</h1>
      <p className="muted">
        You are {role === 'owner' ? 'an owner' : 'an admin'} of this organisation. <Link href="/orgs">Your organisations</Link>
      </p>
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
      <section className="card" aria-labelledby="add-heading">
        <h2 id="add-heading">Add a member</h2>
        <ActionForm action={addMemberAction} done="Added. They sign in with a code sent to that address.">
          <label htmlFor="member-email">Email address</label>
          <input id="member-email" name="email" type="email" required maxLength={254} autoComplete="off" />
          <label htmlFor="member-role">Role</label>
          <select id="member-role" name="role" defaultValue="member">
            <option value="member">Member</option>
            <option value="admin">Admin</option>
            {role === 'owner' ? <option value="owner">Owner</option> : null}
          </select>
          <div className="actions">
            <button className="primary" type="submit">
              Add member
            </button>
          </div>
        </ActionForm>
      </section>
      <section className="card" aria-labelledby="org-activity-heading">
        <h2 id="org-activity-heading">Recent activity</h2>
        <ActivityList entries={activity} empty="Nothing yet." />
      </section>
    </>
  );
}
