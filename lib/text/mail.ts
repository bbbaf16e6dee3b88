import { htmlEmail } from '../mail/html';
import type { MailMessage } from '../mail/types';
import type { Role } from '../store/model';

/** Every email Signet sends, in words: the sign-in code, the new-device alert and the org invitation. */

/** The code email: the code, how long it works, and that nothing happens without it. */
export function signInCodeMessage(to: string, code: string): MailMessage {
  return {
    to,
    subject: `Your Signet code: ${code}`,
    text: [
      `Your Signet sign-in code is ${code}`,
      '',
      'It works once, for 10 minutes, in the browser where you asked for it.',
      'If you did not try to sign in, you can ignore this message: nobody can sign in without the code.',
    ].join('\n'),
  };
}

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

/** The invitation email: who invites whom, to which org, with which role, and what to do. */

export type InvitationNotice = { to: string; inviterEmail: string; orgName: string; role: Role; link: string; expiresAt: Date };

const ROLE_WORDS: Record<Role, string> = { owner: 'an owner', admin: 'an admin', member: 'a member' };

export function invitationMessage(notice: InvitationNotice): MailMessage {
  const until = notice.expiresAt.toLocaleString('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
  return {
    to: notice.to,
    subject: `${notice.inviterEmail} invited you to ${notice.orgName} on Signet`,
    text: [
      `${notice.inviterEmail} invited you to join ${notice.orgName} on Signet as ${ROLE_WORDS[notice.role]}.`,
      '',
      `Accept or decline: ${notice.link}`,
      `The link works until ${until} UTC, once, and only when you are signed in as ${notice.to}.`,
      '',
      `If you join, the owners and admins of ${notice.orgName} can see the devices you use in it and sign them out.`,
      'Nothing happens unless you accept. If you do not know who sent this, you can ignore it.',
    ].join('\n'),
  };
}
