import type { Metadata } from 'next';
import { cookies, headers } from 'next/headers';
import Link from 'next/link';
import { openChallengeEmail } from '@/lib/auth/codes';
import { cookieNames, usesSecureCookies } from '@/lib/auth/cookies';
import { describeDevice, DEVICE_LABEL_MAX } from '@/lib/auth/device';
import { safeNextPath } from '@/lib/http/request';

export const metadata: Metadata = { title: 'Enter your code' };

// A Map, not an object: `?error=__proto__` must find nothing rather than Object's own members.
const ERRORS = new Map([
  ['format', 'The code is the 6 digits from the email.'],
  ['invalid', 'That code is wrong or has expired. Check the latest email, or ask for a new code.'],
]);

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function VerifyPage({ searchParams }: Props) {
  const params = await searchParams;
  const next = safeNextPath(typeof params.next === 'string' ? params.next : undefined);
  const error = typeof params.error === 'string' ? ERRORS.get(params.error) : undefined;
  const store = await cookies();
  const challengeId = store.get(cookieNames(usesSecureCookies()).challenge)?.value;
  let email: string | null = null;
  try {
    email = await openChallengeEmail(challengeId, new Date());
  } catch {
    email = null; // only used for the friendly "sent to" line
  }
  // The User-Agent only pre-fills the suggested name; it is not kept.
  const suggestedName = describeDevice((await headers()).get('user-agent')).label;

  return (
    <>
      <h1>Check your email</h1>
      <form className="card" method="post" action="/verify/confirm">
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
        <p className="muted">{email ? `We sent a 6-digit code to ${email}.` : 'Enter the 6-digit code from the email we sent you.'}</p>
        <label htmlFor="code">Sign-in code</label>
        <input
          id="code"
          name="code"
          className="code"
          type="text"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]{6}"
          minLength={6}
          maxLength={6}
          required
          autoFocus
        />
        <label className="inline">
          <input type="checkbox" name="persistent" defaultChecked /> Stay signed in on this device
        </label>
        <label htmlFor="device">Device name</label>
        <input id="device" name="device" type="text" defaultValue={suggestedName} maxLength={DEVICE_LABEL_MAX} required />
        <p className="muted">Shown on your security page so you can tell your devices apart.</p>
        <input type="hidden" name="next" value={next} />
        <div className="actions">
          <button className="primary" type="submit">
            Sign in
          </button>
          <Link href={`/sign-in?next=${encodeURIComponent(next)}`}>Use another email or get a new code</Link>
        </div>
      </form>
    </>
  );
}
