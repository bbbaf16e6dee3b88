'use client';

import { useActionState, useEffect, useState } from 'react';
import { ConfirmStep } from '@/app/components/confirm-step';
import { LocalTime } from '@/app/components/local-time';
import { RelativeTime } from '@/app/components/relative-time';
import type { LiveDevice } from '@/lib/auth/devices';
import { signOutDeviceAction } from './actions';
import { DeviceIcon } from './device-icon';
import { asksFirst, nameOf, type Status } from './messages';
import { RenameDevice } from './rename-device';
import { errorInWords } from '@/app/components/words';
import styles from './security.module.css';

/**
 * The signed-in devices, each with rename and sign-out. One status line above the list reports
 * what happened, since a device that was just signed out leaves the list with its buttons.
 * `initialStatus`: what a form posted without JavaScript did (the page read it from the query).
 */
type Props = { devices: LiveDevice[]; renderedAt: string; labelMaxLength: number; renaming: string | null; page: string; initialStatus: Status | null };

export function LiveDevices({ devices, renderedAt, labelMaxLength, renaming, page, initialStatus }: Props) {
  const [status, setStatus] = useState<Status | null>(initialStatus);
  // The device whose sign-out was just confirmed. Its item leaves the list in the very render that
  // brings the action's answer, so the list itself notices it gone and says so.
  const [leaving, setLeaving] = useState<{ id: string; name: string } | null>(null);
  if (leaving && !devices.some((device) => device.id === leaving.id)) {
    setLeaving(null);
    setStatus({ kind: 'success', text: `${leaving.name} was signed out.` });
  }
  return (
    <>
      <p role="status" className={status ? styles[status.kind] : styles.quiet}>
        {status?.text}
      </p>
      <ul className={styles.devices}>
        {devices.map((device) => (
          <DeviceItem
            key={device.id}
            device={device}
            renderedAt={renderedAt}
            labelMaxLength={labelMaxLength}
            renaming={renaming === device.id}
            page={page}
            onResult={setStatus}
            onLeaving={setLeaving}
          />
        ))}
      </ul>
    </>
  );
}

type ItemProps = {
  device: LiveDevice;
  renderedAt: string;
  labelMaxLength: number;
  renaming: boolean;
  page: string;
  onResult: (status: Status) => void;
  onLeaving: (device: { id: string; name: string }) => void;
};

function DeviceItem({ device, renderedAt, labelMaxLength, renaming, page, onResult, onLeaving }: ItemProps) {
  const name = nameOf(device);
  // Signing out this device redirects to /sign-in from the action; that never returns here.
  const [state, formAction] = useActionState(signOutDeviceAction, null);
  // While the device is still listed, its item reports the answer itself: a failure, or (for an id
  // that was not this person's to end) the same words a real sign-out gets.
  useEffect(() => {
    if (state === null || asksFirst(state)) return;
    onResult(state.ok ? { kind: 'success', text: `${name} was signed out.` } : { kind: 'error', text: 'error' in state ? errorInWords(state.error) ?? '' : '' });
    // Once per answer: `name` is the device's name when the answer came.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state, onResult]);

  return (
    <li className={styles.device}>
      <DeviceIcon type={device.type} className={styles.icon} />
      <div className={styles.body}>
        <h3 className={styles.name}>
          {/* A person's own words, isolated so a right-to-left name cannot reorder the badge beside it. */}
          <bdi>{name}</bdi>
          {device.current ? (
            <>
              {' '}
              <span className={styles.badge}>This device</span>
            </>
          ) : null}
        </h3>
        <dl className={styles.facts}>
          <div>
            <dt>Signed in</dt>
            <dd>
              <LocalTime iso={device.signedInAt} format="datetime" />
            </dd>
          </div>
          <div className={styles.lastActive}>
            <dt>Last active</dt>
            <dd>{device.current ? 'Now' : <RelativeTime iso={device.lastActiveAt} renderedAt={renderedAt} />}</dd>
          </div>
          {device.deviceBound ? (
            <div>
              <dt>Protection</dt>
              <dd>Protected by this device&apos;s key</dd>
            </div>
          ) : null}
          {device.persistent ? null : (
            <div>
              <dt>Stays signed in</dt>
              <dd>until you close the browser</dd>
            </div>
          )}
        </dl>
        <div className={styles.controls}>
          <RenameDevice sessionId={device.id} label={device.label} name={name} maxLength={labelMaxLength} openedByPage={renaming} page={page} onResult={onResult} />
          <ConfirmStep
            formAction={formAction}
            state={state}
            askedByServer={asksFirst(state)}
            fields={{ sessionId: device.id }}
            ask={!device.current}
            trigger={
              <>
                Sign out<span className={styles.srOnly}> {name}</span>
              </>
            }
            triggerClassName="danger"
            question={`Sign out ${name}?`}
            detail="It will need a new emailed code to sign in again."
            confirmLabel={`Yes, sign out ${name}`}
            pendingLabel="Signing out…"
            cancelHref={page}
            onConfirm={() => onLeaving({ id: device.id, name })}
          />
        </div>
      </div>
    </li>
  );
}
