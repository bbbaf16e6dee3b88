'use client';

import { useActionState } from 'react';
import { ConfirmStep } from '@/app/components/confirm-step';
import { signOutEverywhereAction, signOutOtherDevicesAction } from './actions';
import { asksFirst, devicesSignedOut, type Status } from './messages';
import { errorInWords } from '@/app/components/words';
import styles from './security.module.css';

type Props = { otherCount: number; page: string; initialStatus: Status | null };

/**
 * "Sign out all other devices" and "Sign out everywhere, including this device", each asked
 * first (ConfirmStep). The first leaves a status line saying how many were signed out; the
 * second ends on /sign-in.
 */
export function SignOutOthers({ otherCount, page, initialStatus }: Props) {
  const [others, othersAction] = useActionState(signOutOtherDevicesAction, null);
  const [everywhere, everywhereAction] = useActionState(signOutEverywhereAction, null);
  const devices = `${otherCount} other ${otherCount === 1 ? 'device' : 'devices'}`;
  let status = initialStatus;
  if (others && !asksFirst(others)) status = others.ok ? { kind: 'success', text: devicesSignedOut(others.count) } : { kind: 'error', text: errorInWords('unavailable') ?? '' };
  if (everywhere && !asksFirst(everywhere)) status = { kind: 'error', text: errorInWords('unavailable') ?? '' };

  return (
    <div className={styles.others}>
      <p role="status" className={status ? styles[status.kind] : styles.quiet}>
        {status?.text}
      </p>
      {otherCount > 0 ? (
        <div className={styles.controls}>
          <ConfirmStep
            formAction={othersAction}
            state={others}
            askedByServer={asksFirst(others)}
            fields={{}}
            trigger="Sign out all other devices"
            question={`Sign out ${devices}?`}
            detail="They will need a new emailed code to sign in again. This device stays signed in."
            confirmLabel={`Yes, sign out ${devices}`}
            pendingLabel="Signing out…"
            cancelHref={page}
          />
          <ConfirmStep
            formAction={everywhereAction}
            state={everywhere}
            askedByServer={asksFirst(everywhere)}
            fields={{}}
            trigger="Sign out everywhere, including this device"
            triggerClassName="danger"
            question={`Sign out all ${otherCount + 1} devices, this one included?`}
            detail="Every device, this one too, will need a new emailed code to sign in again."
            confirmLabel="Yes, sign out everywhere"
            pendingLabel="Signing out…"
            cancelHref={page}
          />
        </div>
      ) : status ? null : (
        <p className="muted">No other devices are signed in.</p>
      )}
    </div>
  );
}
