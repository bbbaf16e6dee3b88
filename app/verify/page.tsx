import type { Metadata } from 'next';
import { cookies, headers } from 'next/headers';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { findChallengeForPage } from '@/lib/auth/sign-in';
import { appContext } from '@/lib/web/context';
import { cookieNames, usesSecureCookies } from '@/lib/web/cookies';
import { describeDevice, DEVICE_LABEL_MAX, normalizeDeviceLabel } from '@/lib/auth/user-agent';
import { safeNextPath } from '@/lib/web/request';
import { currentSession } from '@/lib/web/session';
import { usesDevMailbox } from '@/lib/mail';
import { FormProblem } from '../sign-in/problem';
import { SubmitRow } from '@/app/components/submit-row';

export const metadata: Metadata = { title: 'Enter your code' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };
const one = (value: string | string[] | undefined) => (typeof value === 'string' ? value : undefined);

/**
 * The code form. After a refused code it comes back as the person left it: "Stay signed in"
 * ticked or not, the device name they typed (the route handler sends both back in the query).
 */
export default async function VerifyPage({ searchParams }: Props) {
  const params = await searchParams;
  const next = safeNextPath(one(params.next));
  // Signed in already (Back after signing in): on to where they were going, never a stale form.
  // A store that cannot answer counts as signed out here: this page must still render.
  if ((await currentSession()).status === 'valid') redirect(next);
  const context = await appContext();
  const now = context.now();
  const challengeId = (await cookies()).get(cookieNames(usesSecureCookies()).challenge)?.value;
  const challenge = await findChallengeForPage(context, challengeId).catch(() => null);
  // The User-Agent only suggests a name; it is not kept. A device named before keeps its name
  // when the suggestion is left as it is (decided at sign-in, so this page reveals nothing).
  const suggestedName = describeDevice((await headers()).get('user-agent')).label;
  const deviceName = normalizeDeviceLabel(one(params.device)) ?? suggestedName;

  return (
    <>
      <h1>Check your email</h1>
      <form className="card" method="post" action="/verify/confirm">
        <FormProblem params={params} now={now} />
        <p className="muted">{challenge?.open ? `We sent a 6-digit code to ${challenge.email}.` : 'Enter the 6-digit code from the email we sent you.'}</p>
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
          <input type="checkbox" name="persistent" defaultChecked={one(params.stay) !== 'off'} /> Stay signed in on this device
        </label>
        <label htmlFor="device">Device name</label>
        <input id="device" name="device" type="text" defaultValue={deviceName} maxLength={DEVICE_LABEL_MAX} required aria-describedby="device-help" />
        <p id="device-help" className="muted">
          Shown on your security page so you can tell your devices apart. Left as it is, a device you named before keeps its name.
        </p>
        <input type="hidden" name="next" value={next} />
        <SubmitRow>Sign in</SubmitRow>
      </form>
      <div className="actions">
        {challenge ? (
          <form method="post" action="/sign-in/send">
            <input type="hidden" name="email" value={challenge.email} />
            <input type="hidden" name="next" value={next} />
            <button type="submit">Email me a new code</button>
          </form>
        ) : null}
        <Link href={`/sign-in?next=${encodeURIComponent(next)}`}>Use another email</Link>
      </div>
      {usesDevMailbox() ? (
        <p className="muted">
          Development: no email leaves this machine. Read it in the <Link href="/dev/mailbox">dev mailbox</Link>.
        </p>
      ) : null}
    </>
  );
}
