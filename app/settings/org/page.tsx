import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ActivityList } from '@/app/components/activity-list';
import { Outcome } from '@/app/components/outcome';
import { param, type SearchParams } from '@/app/components/search-params';
import { isAdminRole } from '@/lib/orgs/access';
import { listPendingInvitations } from '@/lib/orgs/invitations';
import { listOrgContacts } from '@/lib/orgs/members';
import { appContext } from '@/lib/web/context';
import { requireSession } from '@/lib/web/session';
import { InviteSection, MembersSection, PendingInvitations } from './admin-sections';
import { OrgConfirmation } from './confirmations';
import { ORG_PATH } from './guard';
import { outcomeOf, ROLE_WORDS } from './messages';
import { ContactsSection, LeaveSection, OwnerSection } from './org-sections';

export const metadata: Metadata = { title: 'Organisation' };

/**
 * The org this session works in. Everyone sees its name, their role, its owners and admins, and
 * Leave; owners and admins also see its members (with their sessions one click away), invitations
 * and activity; owners rename, hand over and delete it. A destructive action first shows its
 * question here (`?confirm=`), and nothing else.
 */
export default async function OrgPage({ searchParams }: { searchParams: SearchParams }) {
  const session = await requireSession(ORG_PATH);
  const params = await searchParams;
  const role = session.role;
  if (!role) notFound();
  const context = await appContext();
  const { store } = context;
  const admin = isAdminRole(role);
  const personal = (await store.listUserOrgs(session.userId)).find((org) => org.orgId === session.orgId)?.personal ?? false;
  const members = admin ? await store.listMembers(session.orgId, context.now()) : [];
  const invitations = admin && !personal ? await listPendingInvitations(context, session.orgId) : [];
  const contacts = admin ? members.flatMap(({ email, role: r }) => (r === 'member' ? [] : [{ email, role: r }])) : await listOrgContacts(context, session.orgId);
  const lastOwner = role === 'owner' && contacts.filter((contact) => contact.role === 'owner').length === 1;

  const heading = (
    <>
      <h1>{session.orgName}</h1>
      <p className="muted">
        You are {ROLE_WORDS[role]} of this organisation{personal ? ', your personal organisation: nobody else can be invited to it' : ''}.{' '}
        <Link href="/orgs">Your organisations</Link>
      </p>
    </>
  );
  const confirmation = OrgConfirmation({ params, orgName: session.orgName, role, personal, members, invitations });
  if (confirmation) {
    return (
      <>
        {heading}
        <Outcome {...outcomeOf(undefined, param(params, 'error'))} />
        {confirmation}
      </>
    );
  }

  return (
    <>
      {heading}
      <Outcome {...outcomeOf(param(params, 'done'), param(params, 'error'))} />
      {admin ? <MembersSection members={members} /> : <ContactsSection contacts={contacts} />}
      {admin && !personal ? <InviteSection role={role} /> : null}
      {admin && !personal ? <PendingInvitations invitations={invitations} /> : null}
      {role === 'owner' ? <OwnerSection orgName={session.orgName} personal={personal} members={members} userId={session.userId} /> : null}
      {!personal ? <LeaveSection orgName={session.orgName} lastOwner={lastOwner} /> : null}
      {admin ? (
        <section className="card" aria-labelledby="org-activity-heading">
          <h2 id="org-activity-heading">Recent activity</h2>
          <ActivityList of={{ orgId: session.orgId }} empty="Nothing yet." />
        </section>
      ) : null}
    </>
  );
}
