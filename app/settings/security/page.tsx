import type { Metadata } from 'next';
import Link from 'next/link';
import { LocalTime } from '@/app/components/local-time';
import { requireSession } from '@/lib/auth/current-session';
import { DEVICE_LABEL_MAX } from '@/lib/auth/device';
import { ENDED_WINDOW_DAYS, endingInWords, listDevices } from '@/lib/auth/device-list';
import { iso } from '@/lib/ids';
import { DeviceIcon } from './device-icon';
import { LiveDevices } from './live-devices';
import styles from './security.module.css';
import { SecurityActivity } from './security-activity';
import { SignOutOthers } from './sign-out-others';

export const metadata: Metadata = { title: 'Devices and security' };

/**
 * Every device signed in to the account, and what recently ended. Only the device views from
 * listDevices (ids, labels, times, flags, reasons) are handed to the browser-side components.
 */
export default async function SecurityPage() {
  const session = await requireSession('/settings/security');
  const now = new Date();
  const { live, ended } = await listDevices(session.userId, session.sessionId, now);
  const otherCount = live.filter((device) => !device.current).length;

  return (
    <>
      <p>
        <Link href="/">Back to your account</Link>
      </p>
      <h1>Devices and security</h1>
      <p className="muted">
        These devices are signed in as {session.email}. If you see one you do not recognise, sign it out: it will have to sign in again
        with a code sent to your email.
      </p>

      <section aria-labelledby="live-heading">
        <h2 id="live-heading">
          Signed-in devices <span className="muted">({live.length})</span>
        </h2>
        <LiveDevices devices={live} renderedAt={iso(now)} labelMaxLength={DEVICE_LABEL_MAX} />
        <SignOutOthers otherCount={otherCount} />
      </section>

      <section aria-labelledby="ended-heading">
        <h2 id="ended-heading">Recently ended sessions</h2>
        <p className="muted">Sessions that ended in the last {ENDED_WINDOW_DAYS} days, and why.</p>
        {ended.length === 0 ? (
          <p>None.</p>
        ) : (
          <ul className={`card ${styles.endedList}`}>
            {ended.map((device) => (
              <li key={device.id} className={styles.ended}>
                <DeviceIcon type={device.type} className={styles.icon} />
                <div>
                  <bdi className={styles.endedName}>{device.label ?? 'Unnamed device'}</bdi>
                  {endingInWords(device.ending)} ·{' '}
                  <span className={styles.when}>
                    <LocalTime iso={device.endedAt} format="datetime" />
                  </span>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>

      <SecurityActivity userId={session.userId} />
    </>
  );
}
