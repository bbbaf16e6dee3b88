import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { findChallengeForPage } from '@/lib/auth/sign-in';
import { appContext } from '@/lib/web/context';
import { cookieNames, usesSecureCookies } from '@/lib/web/cookies';
import { readNotice } from '@/lib/web/notice';
import { safeNextPath } from '@/lib/web/request';
import { currentSession } from '@/lib/web/session';
import { EndingNotice } from './ending-notice';
import { FormProblem } from './problem';
import { SubmitRow } from '@/app/components/submit-row';

export const metadata: Metadata = { title: 'Sign in' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SignInPage({ searchParams }: Props) {
  const params = await searchParams;
  const next = safeNextPath(typeof params.next === 'string' ? params.next : undefined);
  // Signed in already (Back after signing in): on to where they were going, never a stale form.
  // A store that cannot answer counts as signed out here: this page must still render.
  if ((await currentSession()).status === 'valid') redirect(next);
  const jar = await cookies();
  // Why a session of this browser was ended elsewhere, if one was; `signed-out=1` is this
  // browser's own sign-out, which needs no reason (and whose Clear-Site-Data drops every cookie).
  const notice = readNotice(jar);
  const signedOut = !notice && params['signed-out'] === '1';
  // The address this browser last asked a code for, so "Use another email" starts from it.
  const challenge = await findChallengeForPage(await appContext(), jar.get(cookieNames(usesSecureCookies()).challenge)?.value).catch(() => null);
  const email = challenge?.email;

  return (
    <>
      {notice ? <EndingNotice notice={notice} /> : null}
      {signedOut ? (
        <div className="notice" role="status">
          <strong>You are signed out</strong>. Sign in again whenever you like.
        </div>
      ) : null}
      <h1>Sign in to Signet</h1>
      <form className="card" method="post" action="/sign-in/send">
        <FormProblem params={params} now={new Date()} />
        <p className="muted">We will email you a 6-digit code. New here? The same code creates your account.</p>
        <label htmlFor="email">Email address</label>
        <input id="email" name="email" type="email" autoComplete="email" required maxLength={254} autoFocus defaultValue={email ?? undefined} />
        <input type="hidden" name="next" value={next} />
        <SubmitRow>Email me a code</SubmitRow>
      </form>
    </>
  );
}
