import { log } from '../log';
import type { MailMessage, Mailer } from '../mail/types';

/** "New sign-in on Firefox on Windows": telling people when a device we have not seen signs in. */

/** Where the email sends people: absolute when the origin is configured, else the path itself. */
export function securityPageLink(origin: string | undefined): string {
  return origin ? `${origin.replace(/\/$/, '')}/settings/security` : '/settings/security';
}

export type NewDeviceNotice = { to: string; device: string; name: string | null; at: Date; link: string };

export function newDeviceMessage(notice: NewDeviceNotice): MailMessage {
  const time = `${notice.at.toISOString().slice(11, 16)} UTC`;
  const date = notice.at.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  const named = notice.name && notice.name !== notice.device ? ` (named "${notice.name}")` : '';
  return {
    to: notice.to,
    subject: `New sign-in on ${notice.device} at ${time}`,
    text: [
      `Your Signet account was signed in on ${notice.device}${named} on ${date} at ${time}.`,
      '',
      'If this was you, there is nothing to do.',
      `If it was not, end that session on your security page: ${notice.link}`,
    ].join('\n'),
  };
}

/**
 * Sends the notice after the sign-in has committed. Mail trouble is logged and swallowed: a
 * failed notification must never turn into a failed sign-in.
 */
export async function sendNewDeviceNotice(mailer: Mailer, notice: NewDeviceNotice): Promise<boolean> {
  try {
    await mailer.send(newDeviceMessage(notice));
    return true;
  } catch (error) {
    // The error's name and code only: SMTP messages can quote the recipient's address.
    const code = typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : null;
    log.warn('new_device_mail_failed', { error: error instanceof Error ? error.name : 'unknown', code });
    return false;
  }
}
