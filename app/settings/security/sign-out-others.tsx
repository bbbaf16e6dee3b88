'use client';

import { useEffect, useId, useRef, useState } from 'react';
import { signOutOtherDevicesAction } from './actions';
import { devicesSignedOut, ERROR_TEXT, type Status } from './messages';
import { PendingButton } from './pending-button';
import styles from './security.module.css';

/**
 * "Sign out all other devices", asked twice: the first press only shows what will happen, and
 * focus lands on Cancel so two quick presses of Enter cannot end every other session by accident.
 */
export function SignOutOthers({ otherCount }: { otherCount: number }) {
  const [confirming, setConfirming] = useState(false);
  const [status, setStatus] = useState<Status | null>(null);
  const start = useRef<HTMLButtonElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);
  const questionId = useId();
  const devices = `${otherCount} other ${otherCount === 1 ? 'device' : 'devices'}`;

  useEffect(() => {
    if (confirming) cancel.current?.focus();
    else if (wasConfirming.current) start.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  async function confirm(): Promise<void> {
    const result = await signOutOtherDevicesAction();
    setConfirming(false);
    setStatus(result.ok ? { kind: 'success', text: devicesSignedOut(result.count) } : { kind: 'error', text: ERROR_TEXT[result.error] });
  }

  let body = null;
  if (confirming) {
    body = (
      <div role="group" aria-labelledby={questionId} className={styles.confirm}>
        <p id={questionId}>
          <strong>Sign out {devices}?</strong> They will need a new emailed code to sign in again. This device stays signed in.
        </p>
        <form action={confirm} className={styles.controls}>
          <PendingButton className="danger">Yes, sign out {devices}</PendingButton>
          <button ref={cancel} type="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </form>
      </div>
    );
  } else if (otherCount > 0) {
    body = (
      <button
        ref={start}
        type="button"
        onClick={() => {
          setStatus(null);
          setConfirming(true);
        }}
      >
        Sign out all other devices
      </button>
    );
  } else if (!status) {
    body = <p className="muted">No other devices are signed in.</p>;
  }

  return (
    <div className={styles.others}>
      <p role="status" className={status ? styles[status.kind] : styles.quiet}>
        {status?.text}
      </p>
      {body}
    </div>
  );
}
