import type { Metadata } from 'next';
import Link from 'next/link';
import { ActionForm } from '@/app/components/action-form';
import { requireSession } from '@/lib/auth/current-session';
import { isAdminRole } from '@/lib/orgs/access';
import { listUserOrgs } from '@/lib/orgs/user-orgs';
import { leaveOrgAction, switchOrgAction } from './actions';

export const metadata: Metadata = { title: 'Your organisations' };

/** Every org the person belongs to; this session works in one of them at a time. */
export default async function OrgsPage() {
  const session = await requireSession('/orgs');
  const orgs = await listUserOrgs(session.userId);

  return (
    <>
      <h1>Your organisations</h1>
      <p className="muted">This device is working in {session.orgName}. Switching moves only this session.</p>
      <section className="card" aria-label="Organisations">
        <ul className="plain">
          {orgs.map((org) => {
            const current = org.orgId === session.orgId;
            return (
              <li key={org.orgId} className="device">
                <strong>{org.name}</strong> <span className="muted">({org.role})</span>
                {current ? <span className="muted"> · current</span> : null}
                <div className="actions">
                  {current && isAdminRole(org.role) ? <Link href="/settings/org">Manage members</Link> : null}
                  {!current ? (
                    <ActionForm action={switchOrgAction} done="Switched.">
                      <input type="hidden" name="orgId" value={org.orgId} />
                      <button type="submit" aria-label={`Switch to ${org.name}`}>
                        Switch
                      </button>
                    </ActionForm>
                  ) : null}
                  {!current ? (
                    <ActionForm action={leaveOrgAction} done="You left.">
                      <input type="hidden" name="orgId" value={org.orgId} />
                      <button className="danger" type="submit" aria-label={`Leave ${org.name}`}>
                        Leave
                      </button>
                    </ActionForm>
                  ) : null}
                </div>
              </li>
            );
          })}
        </ul>
      </section>
      <p>
        <Link href="/">Back to your account</Link>
      </p>
    </>
  );
}
