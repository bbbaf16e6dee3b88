import type { Role } from '../store/model';
import type { MailMessage } from '../mail/types';

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
