import Link from 'next/link';
import { requireSession } from '@/lib/web/session';
import { isAdminRole } from '@/lib/orgs/access';
import { SignOutButton } from './components/sign-out-button';

export default async function HomePage() {
  const session = await requireSession('/');
  return (
    <>
      <h1>You are signed in</h1>
      <section className="card" aria-labelledby="account-heading">
        <h2 id="account-heading">Your account</h2>
        <dl>
          <dt className="muted">Email</dt>
          <dd>{session.email}</dd>
          <dt className="muted">Organisation</dt>
          <dd>
            {session.orgName} <span className="muted">({session.role})</span>
          </dd>
          <dt className="muted">This device</dt>
          <dd>
            <bdi>{session.deviceLabel ?? 'Unnamed device'}</bdi>
          </dd>
        </dl>
        <div className="actions">
          <Link className="button" href="/settings/security">
            Devices and security
          </Link>
          <Link className="button" href="/orgs">
            Organisations
          </Link>
          <Link className="button" href="/settings/org">
            {isAdminRole(session.role) ? 'Manage members' : 'This organisation'}
          </Link>
          <SignOutButton />
        </div>
      </section>
    </>
  );
}
