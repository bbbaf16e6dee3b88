'use client';

import { useState } from 'react';
import { LocalTime } from '@/app/components/local-time';
import { RelativeTime } from '@/app/components/relative-time';
import type { LiveDevice } from '@/lib/auth/device-list';
import { signOutDeviceAction } from './actions';
import { DeviceIcon } from './device-icon';
import { ERROR_TEXT, type Status } from './messages';
import { PendingButton } from './pending-button';
import { RenameDevice } from './rename-device';
import styles from './security.module.css';

/**
 * The signed-in devices, each with rename and sign-out. One status line above the list reports
 * what happened, since a device that was just signed out leaves the list with its buttons.
 */
type Props = { devices: LiveDevice[]; renderedAt: string; labelMaxLength: number };

export function LiveDevices({ devices, renderedAt, labelMaxLength }: Props) {
  const [status, setStatus] = useState<Status | null>(null);
  return (
    <>
      <p role="status" className={status ? styles[status.kind] : styles.quiet}>
        {status?.text}
      </p>
      <ul className={styles.devices}>
        {devices.map((device) => (
          <DeviceItem key={device.id} device={device} renderedAt={renderedAt} labelMaxLength={labelMaxLength} onResult={setStatus} />
        ))}
      </ul>
    </>
  );
}

type ItemProps = { device: LiveDevice; renderedAt: string; labelMaxLength: number; onResult: (status: Status) => void };

function DeviceItem({ device, renderedAt, labelMaxLength, onResult }: ItemProps) {
  const name = device.label ?? 'Unnamed device';

  // Signing out this device redirects to /sign-in from the action; that never returns here.
  async function signOut(form: FormData): Promise<void> {
    const result = await signOutDeviceAction(form);
    onResult(result.ok ? { kind: 'success', text: `${name} was signed out.` } : { kind: 'error', text: ERROR_TEXT[result.error] });
  }

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
              <LocalTime iso={device.signedInAt} format="date" />
            </dd>
          </div>
          <div className={styles.lastActive}>
            <dt>Last active</dt>
            <dd>{device.current ? 'Now' : <RelativeTime iso={device.lastActiveAt} renderedAt={renderedAt} />}</dd>
          </div>
          {device.persistent ? null : (
            <div>
              <dt>Stays signed in</dt>
              <dd>until you close the browser</dd>
            </div>
          )}
        </dl>
        <div className={styles.controls}>
          <RenameDevice sessionId={device.id} label={device.label} name={name} maxLength={labelMaxLength} onResult={onResult} />
          <form action={signOut}>
            <input type="hidden" name="sessionId" value={device.id} />
            <PendingButton className="danger">
              Sign out<span className={styles.srOnly}> {name}</span>
            </PendingButton>
          </form>
        </div>
      </div>
    </li>
  );
}
