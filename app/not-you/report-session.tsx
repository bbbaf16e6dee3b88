'use client';

import { useActionState } from 'react';
import { LocalTime } from '@/app/components/local-time';
import { PendingButton } from '@/app/components/pending-button';
import type { AlertSession } from '@/lib/store/types';
import { reportSessionAction } from './actions';

type Props = { token: string; session: AlertSession | null | 'unavailable' };

/** The "Not you?" page's three states: the question with its one button, done, or a dead link. */
export function ReportSession({ token, session }: Props) {
  const [state, formAction] = useActionState(reportSessionAction, null);
  if (state?.ok) {
    const name = state.label ?? 'That device';
    return (
      <section className="card" aria-labelledby="done-heading">
        <h1 id="done-heading">{name} is signed out</h1>
        <p>It will need a new emailed code to sign in again. Its session is listed as reported from the alert email.</p>
        <p>
          If someone else knows your email password, change it: whoever reads your email can sign in to Signet. Then{' '}
          <a href="/settings/security">check your devices</a>.
        </p>
      </section>
    );
  }
  if (session === null || session === 'unavailable') {
    return (
      <section className="card" aria-labelledby="dead-heading">
        <h1 id="dead-heading">{session === null ? 'This link no longer works' : 'Signet is briefly unavailable'}</h1>
        <p>
          {session === null
            ? 'The session it was for has already ended, or the link was used. Nothing was changed.'
            : 'Nothing was changed. Open the link again in a few seconds.'}
        </p>
        <p>
          <a href="/settings/security">See the devices signed in to your account</a>
        </p>
      </section>
    );
  }
  const name = session.label ?? 'Unnamed device';
  return (
    <section className="card" aria-labelledby="question-heading">
      <h1 id="question-heading">Not you? Sign {name} out</h1>
      <p>
        {name} signed in to your Signet account on <LocalTime iso={session.signedInAt} format="datetime" />. If that was not you, sign it
        out now: it will need a new emailed code to sign in again. You do not need to sign in for this.
      </p>
      {state && !state.ok ? (
        <p className="error" role="alert">
          {state.error === 'gone' ? 'Nothing was signed out: that session had already ended.' : 'Signet could not do that just now. Nothing was changed; try again.'}
        </p>
      ) : null}
      <form action={formAction} className="actions">
        <input type="hidden" name="token" value={token} />
        <PendingButton className="danger" pendingLabel="Signing out…">
          Sign out {name}
        </PendingButton>
      </form>
    </section>
  );
}
