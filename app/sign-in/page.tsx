import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { LocalTime } from '@/app/components/local-time';
import { describeTokenSession, type EndedNotice } from '@/lib/auth/check';
import { SEND_BUDGET_SPENT_MESSAGE } from '@/lib/auth/codes';
import { cookieNames, usesSecureCookies } from '@/lib/auth/cookies';
import { getCurrentSession } from '@/lib/auth/current-session';
import { getKeyring } from '@/lib/auth/keys';
import { decodeNotice, describeEnding } from '@/lib/auth/notice';
import { safeNextPath } from '@/lib/http/request';

export const metadata: Metadata = { title: 'Sign in' };

// A Map, not an object: `?error=constructor` must find nothing rather than Object's own members.
const ERRORS = new Map([
  ['email', 'Enter a valid email address.'],
  ['expired', 'That code has expired or a newer one was sent. Ask for a new code below.'],
  ['busy', SEND_BUDGET_SPENT_MESSAGE],
]);

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SignInPage({ searchParams }: Props) {
  const params = await searchParams;
  const next = safeNextPath(typeof params.next === 'string' ? params.next : undefined);
  if (await getCurrentSession()) redirect(next);
  const notice = await endedNotice();
  const error = typeof params.error === 'string' ? ERRORS.get(params.error) : undefined;
  const ending = notice ? describeEnding(notice) : null;

  return (
    <>
      {notice && ending ? (
        <div className="notice" role="status">
          <strong>{ending.headline}</strong>
          {notice.reason === 'sign_out' && notice.elsewhere ? (
            <>
              {' '}
              at <LocalTime iso={notice.at} />
            </>
          ) : null}
          . {ending.detail}
        </div>
      ) : null}
      <h1>Sign in to Signet</h1>
      <form className="card" method="post" action="/sign-in/send">
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
        <p className="muted">We will email you a 6-digit code. New here? The same code creates your account.</p>
        <label htmlFor="email">Email address</label>
        <input id="email" name="email" type="email" autoComplete="email" required maxLength={254} autoFocus />
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
