import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { at, contextAt, POLICY, signIn, uniqueEmail } from '@/test/helpers';
import { selectRows } from '@/test/inspect';
import { orgOwnedBy, orgWithMembers } from '@/test/org-fixtures';
import { INVITATION_EMAILS_PER_ADDRESS_PER_DAY } from '../rules';
import { listDevMail } from '../mail/dev-mailbox';
import { acceptInvitation, findInvitation, invitationTokenHash, inviteMember } from './invitations';

/** Inviting through lib: the token, its hash, the email, and answers that say nothing about accounts. */

const mailTo = (to: string) => listDevMail().filter((message) => message.to === to);
const linkOf = (token: string) => `http://signet.test/invitations/${token}`;

describe('inviteMember', () => {
  it('emails the address who invites them, to which org, with which role, and a link that is the only copy of the token', async () => {
    const now = new Date('2031-05-05T10:00:00.000Z');
    const org = await orgWithMembers(now);
    const email = uniqueEmail('invitee');
    let token = '';
    expect(await inviteMember(await contextAt(now), org.asAdmin, { email, role: 'admin' }, (issued) => ((token = issued), linkOf(issued)))).toEqual({ ok: true });

    const [message, ...more] = mailTo(email);
    expect(more).toEqual([]);
    expect(message?.subject).toBe(`${org.admin.email} invited you to ${org.orgName} on Signet`);
    expect(message?.text).toContain(`${org.admin.email} invited you to join ${org.orgName} on Signet as an admin.`);
    expect(message?.text).toContain(`Accept or decline: ${linkOf(token)}`);
    expect(message?.text).toContain('12 May 2031'); // 7 days by default
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await selectRows<{ tokenHash: string }>('SELECT token_hash FROM org_invitations WHERE email = $1', [email]);
    expect(stored).toEqual([{ tokenHash: createHash('sha256').update(token).digest('hex') }]);
    expect(JSON.stringify(await selectRows('SELECT * FROM org_invitations WHERE email = $1', [email]))).not.toContain(token);
  });

  it('an address with an account and one without get the same answer and the same email', async () => {
    const now = new Date();
    const org = await orgWithMembers(now);
    const knownEmail = uniqueEmail('known');
    await signIn(knownEmail, now);
    const unknownEmail = uniqueEmail('unknown');
    const answers = [];
    for (const email of [knownEmail, unknownEmail]) answers.push(await inviteMember(await contextAt(now), org.asOwner, { email, role: 'member' }, () => linkOf('t')));
    expect(answers[0]).toEqual(answers[1]);
    const [a, b] = [mailTo(knownEmail)[0], mailTo(unknownEmail)[0]];
    expect(a?.subject).toBe(b?.subject);
    expect(a?.text.replaceAll(knownEmail, '@')).toBe(b?.text.replaceAll(unknownEmail, '@'));
  });

  it(`past ${INVITATION_EMAILS_PER_ADDRESS_PER_DAY} emails a day to one address: the same answer, no email`, async () => {
    const now = new Date();
    const email = uniqueEmail('popular');
    for (let i = 0; i <= INVITATION_EMAILS_PER_ADDRESS_PER_DAY; i += 1) {
      const owner = await orgOwnedBy(uniqueEmail(`org-${i}`), now);
      expect(await inviteMember(await contextAt(at(now, i)), { userId: owner.userId, orgId: owner.orgId }, { email, role: 'member' }, linkOf)).toEqual({ ok: true });
    }
    expect(mailTo(email)).toHaveLength(INVITATION_EMAILS_PER_ADDRESS_PER_DAY);
  });

  it('honours the invitation lifetime, and says so when the email could not be sent', async () => {
    const now = new Date('2031-05-05T10:00:00.000Z');
    const context = await contextAt(now, { policy: { ...POLICY, invitationTtlSeconds: 3600 } });
    const owner = await orgOwnedBy(uniqueEmail('ttl-owner'), now);
    const actor = { userId: owner.userId, orgId: owner.orgId };
    let token = '';
    await inviteMember(context, actor, { email: uniqueEmail('short'), role: 'member' }, (t) => ((token = t), linkOf(t)));
    expect((await findInvitation(context, token))?.expiresAt).toBe('2031-05-05T11:00:00.000Z');

    const refusingMailer = { send: () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })) };
    expect(await inviteMember({ ...context, mailer: refusingMailer }, actor, { email: uniqueEmail('unlucky'), role: 'member' }, linkOf)).toEqual({
      ok: false,
      error: 'mail_failed',
    });
  });
});

describe('invitation tokens', () => {
  it('anything not shaped like a token never reaches the store and finds nothing', async () => {
    for (const bad of ['', 'short', 'a'.repeat(44), `${'a'.repeat(42)}=`, '../etc/passwd', 'a'.repeat(10_000)]) {
      expect(invitationTokenHash(bad)).toBeNull();
      expect(await findInvitation(await contextAt(new Date()), bad)).toBeNull();
    }
    const person = await signIn(uniqueEmail('prober'));
    const answer = await acceptInvitation(await contextAt(new Date()), { userId: person.userId, sessionId: person.sessionId }, 'not-a-token');
    expect(answer).toEqual({ ok: false, error: 'not_found' });
  });
});
