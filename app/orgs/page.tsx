import type { Metadata } from 'next';
import Link from 'next/link';
import { Confirm } from '@/app/components/confirm';
import { Outcome } from '@/app/components/outcome';
import { param, type SearchParams } from '@/app/components/search-params';
import { outcomeOf } from '@/app/settings/org/messages';
import { requireSession } from '@/lib/web/session';
import { ORGS_CREATED_PER_DAY } from '@/lib/rules/caps';
import { ORG_NAME_MAX } from '@/lib/orgs/org-name';
import { appContext } from '@/lib/web/context';
import { createOrgAction, leaveOrgAction, switchOrgAction } from './actions';
import { SubmitRow } from '@/app/components/submit-row';

export const metadata: Metadata = { title: 'Your organisations' };

/** Every org the person belongs to; this session works in one of them at a time. */
export default async function OrgsPage({ searchParams }: { searchParams: SearchParams }) {
  const session = await requireSession('/orgs');
  const params = await searchParams;
  const orgs = await (await appContext()).store.listUserOrgs(session.userId);

  const leaving = param(params, 'confirm') === 'leave' ? orgs.find((org) => org.orgId === param(params, 'org') && !org.personal) : undefined;
  if (leaving) {
    return (
      <>
        <h1>Your organisations</h1>
        <Confirm
          question={`Leave ${leaving.name}?`}
          action={leaveOrgAction}
          fields={<input type="hidden" name="orgId" value={leaving.orgId} />}
          yes={`Leave ${leaving.name}`}
          cancelHref="/orgs"
        >
          <p>Its owners and admins will no longer see your devices. Your devices in it move to your personal organisation. To come back, you need a new invitation.</p>
        </Confirm>
      </>
    );
  }

  return (
    <>
      <h1>Your organisations</h1>
      <Outcome {...outcomeOf(param(params, 'done'), param(params, 'error'))} />
      <p className="muted">
        This device is working in {session.orgName}. Switching moves only this session; your next sign-in starts in the organisation you used last.
      </p>
      <section className="card" aria-label="Organisations">
        <ul className="plain">
          {orgs.map((org) => {
            const current = org.orgId === session.orgId;
            return (
              <li key={org.orgId} className="device">
                <strong>{org.name}</strong> <span className="muted">({org.personal ? 'personal, ' : ''}{org.role})</span>
                {current ? <span className="muted"> · current</span> : null}
                <div className="actions">
                  {current ? <Link href="/settings/org">Open</Link> : null}
                  {!current ? (
                    <form action={switchOrgAction}>
                      <input type="hidden" name="orgId" value={org.orgId} />
                      <button type="submit" aria-label={`Switch to ${org.name}`}>
                        Switch
                      </button>
                    </form>
                  ) : null}
                  {!org.personal ? (
                    <Link className="button danger" href={`/orgs?confirm=leave&org=${encodeURIComponent(org.orgId)}`} aria-label={`Leave ${org.name}`}>
                      Leave
                    </Link>
                  ) : null}
                </div>
              </li>
            );
          })}
        </ul>
      </section>
      <section className="card" aria-labelledby="create-heading">
        <h2 id="create-heading">Create an organisation</h2>
        <p className="muted">
          You become its owner and this device moves into it; then invite people. You can create {ORGS_CREATED_PER_DAY} organisations a day.
        </p>
        <form action={createOrgAction}>
          <label htmlFor="new-org-name">Name</label>
          <input id="new-org-name" name="name" type="text" required maxLength={ORG_NAME_MAX} />
          <SubmitRow>Create organisation</SubmitRow>
        </form>
      </section>
      <p>
        <Link href="/">Back to your account</Link>
      </p>
    </>
  );
}
