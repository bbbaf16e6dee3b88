import type { Metadata } from 'next';
import Link from 'next/link';
import { LocalTime } from '@/app/components/local-time';
import { ENDED_WINDOW_DAYS, listDevices } from '@/lib/auth/devices';
import { DEVICE_LABEL_MAX } from '@/lib/auth/user-agent';
import { iso } from '@/lib/ids';
import { endingInWords } from '@/lib/text/endings';
import { appContext } from '@/lib/web/context';
import { requireSession } from '@/lib/web/session';
import { DeviceIcon } from './device-icon';
import { LiveDevices } from './live-devices';
import { nameOf, statusFromQuery } from './messages';
import styles from './security.module.css';
import { SecurityActivity } from './security-activity';
import { SignOutOthers } from './sign-out-others';

export const metadata: Metadata = { title: 'Devices and security' };

const PAGE = '/settings/security';
type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * Every device signed in to the account, and what recently ended. Only the device views from
 * listDevices (ids, labels, times, flags, reasons) are handed to the browser-side components.
 * The query carries what a form posted without JavaScript did, and which device to rename.
 */
export default async function SecurityPage({ searchParams }: Props) {
  const session = await requireSession(PAGE);
  const query = await searchParams;
  const context = await appContext();
  const now = context.now();
  const { live, ended } = await listDevices(context, session.userId, session.sessionId);
  const otherCount = live.filter((device) => !device.current).length;
  const status = statusFromQuery(query, live, ended);
  const renaming = typeof query.rename === 'string' ? query.rename : null;

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
        <LiveDevices devices={live} renderedAt={iso(now)} labelMaxLength={DEVICE_LABEL_MAX} renaming={renaming} page={PAGE} initialStatus={status.devices} />
        <SignOutOthers otherCount={otherCount} page={PAGE} initialStatus={status.others} />
      </section>

      <section aria-labelledby="ended-heading">
        <h2 id="ended-heading">Recently ended sessions</h2>
        <p className="muted">Sessions that ended in the last {ENDED_WINDOW_DAYS} days, and why.</p>
        {ended.length === 0 ? (
          <p>None.</p>
        ) : (
          <div className="card">
            <ul className={styles.endedList}>
              {ended.map((device) => (
                <li key={device.id} className={styles.ended}>
                  <DeviceIcon type={device.type} className={styles.icon} />
                  <div>
                    <bdi className={styles.endedName}>{nameOf(device)}</bdi>
                    {endingInWords(device.ending)} ·{' '}
                    <span className={styles.when}>
                      <LocalTime iso={device.endedAt} format="datetime" />
                    </span>
                  </div>
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>

      <SecurityActivity userId={session.userId} />
    </>
  );
}
