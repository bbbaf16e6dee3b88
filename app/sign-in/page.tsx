import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { describeTokenSession, type EndedNotice } from '@/lib/auth/check';
import { challengeEmail } from '@/lib/auth/codes';
import { cookieNames, usesSecureCookies } from '@/lib/web/cookies';
import { getKeyring } from '@/lib/crypto/keys';
import { decodeNotice, ownSignOut } from '@/lib/web/notice';
import { safeNextPath } from '@/lib/web/request';
import { EndingNotice } from './ending-notice';
import { FormProblem } from './problem';
import { signedInNow } from './signed-in';

export const metadata: Metadata = { title: 'Sign in' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SignInPage({ searchParams }: Props) {
  const params = await searchParams;
  const next = safeNextPath(typeof params.next === 'string' ? params.next : undefined);
  if (await signedInNow()) redirect(next);
  const store = await cookies();
  const names = cookieNames(usesSecureCookies());
  // `signed-out=1`: POST /sign-out ended this browser's session (its Clear-Site-Data drops the notice cookie).
  const notice = (await endedNotice()) ?? (params['signed-out'] === '1' ? ownSignOut(new Date()) : null);
  // The address this browser last asked a code for, so "Use another email" starts from it.
  const email = await challengeEmail(store.get(names.challenge)?.value).catch(() => null);

  return (
    <>
      {notice ? <EndingNotice notice={notice} /> : null}
      <h1>Sign in to Signet</h1>
      <form className="card" method="post" action="/sign-in/send">
        <FormProblem params={params} now={new Date()} />
        <p className="muted">We will email you a 6-digit code. New here? The same code creates your account.</p>
        <label htmlFor="email">Email address</label>
        <input id="email" name="email" type="email" autoComplete="email" required maxLength={254} autoFocus defaultValue={email ?? undefined} />
        <input type="hidden" name="next" value={next} />
        <div className="actions">
          <button className="primary" type="submit">
            Email me a code
          </button>
        </div>
      </form>
    </>
  );
}

/** Why this browser's last session ended: from the notice cookie, or from its leftover tokens. */
async function endedNotice(): Promise<EndedNotice | null> {
  const store = await cookies();
  const names = cookieNames(usesSecureCookies());
  const fromCookie = decodeNotice(store.get(names.notice)?.value);
  if (fromCookie) return fromCookie;
  try {
    for (const kind of ['access', 'refresh'] as const) {
      const result = await describeTokenSession(getKeyring(), kind, store.get(names[kind])?.value, new Date());
      if (result.status === 'ended') return result.notice;
    }
  } catch {
    // The notice is a courtesy; signing in must still work when it cannot be read.
  }
  return null;
}
