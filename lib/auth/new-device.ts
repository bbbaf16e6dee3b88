import { log } from '../log';
import { htmlEmail } from '../mail/html';
import type { MailMessage, Mailer } from '../mail/types';

/** "New sign-in on Firefox on Windows": telling people when a device we have not seen signs in. */

/** Where the email sends people: absolute when the origin is known, else the path itself. */
export function securityPageLink(origin: string | null | undefined): string {
  return origin ? `${origin.replace(/\/$/, '')}/settings/security` : '/settings/security';
}

/** `link`: the security page; `notYouLink`: the one-click page that ends just this session (L11). */
export type NewDeviceNotice = { to: string; device: string; name: string | null; at: Date; link: string; notYouLink: string };

/** Both times in UTC, marked as such: the email cannot know the reader's time zone. */
function whenInUtc(at: Date): { date: string; time: string } {
  const date = at.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  return { date, time: `${at.toISOString().slice(11, 16)} UTC` };
}

export function newDeviceMessage(notice: NewDeviceNotice): MailMessage {
  const { date, time } = whenInUtc(notice.at);
  const named = notice.name && notice.name !== notice.device ? ` (named "${notice.name}")` : '';
  const happened = `Your Signet account was signed in on ${notice.device}${named} on ${date} at ${time}.`;
  const notYou = 'Not you? Sign that device out at once, without signing in:';
  return {
    to: notice.to,
    subject: `New sign-in on ${notice.device} at ${time}`,
    text: [
      happened,
      '',
      'If this was you, there is nothing to do.',
      '',
      notYou,
      notice.notYouLink,
      '',
      `To see every device signed in to your account, open your security page: ${notice.link}`,
    ].join('\n'),
    html: htmlEmail({
      paragraphs: [happened, 'If this was you, there is nothing to do.', notYou],
      button: { text: 'Not you? Sign that device out', href: notice.notYouLink },
      footer: [`The link works once, and only for that sign-in. Every device signed in to your account: ${notice.link}`],
    }),
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
