import { describe, expect, it, vi } from 'vitest';
import { at, signIn, uniqueEmail } from '@/test/helpers';
import { inviteToken, orgWithMembers } from '@/test/org-fixtures';
import type { MailMessage, Mailer } from '../mail/types';
import { securityPageLink } from '../text/mail';
import { notYouLink } from './alert-link';
import { sendNewDeviceNotice } from './new-device';

const LAPTOP = 'a'.repeat(64);
const PHONE = 'b'.repeat(64);

describe('new-device sign-ins', () => {
  it('a brand-new user’s first sign-in is not reported', async () => {
    const first = await signIn(uniqueEmail('newcomer'), new Date(), { fingerprint: LAPTOP });
    expect(first).toMatchObject({ newUser: true, newDevice: false });
  });

  it('a second device is reported once; the same device again is not', async () => {
    const now = new Date();
    const email = uniqueEmail('traveller');
    await signIn(email, now, { fingerprint: LAPTOP });
    expect((await signIn(email, at(now, 60), { fingerprint: LAPTOP })).newDevice).toBe(false);
    const phone = await signIn(email, at(now, 120), { fingerprint: PHONE });
    expect(phone).toMatchObject({ newDevice: true, email });
    expect((await signIn(email, at(now, 180), { fingerprint: PHONE })).newDevice).toBe(false);
  });

  it('a device last active more than 90 days ago counts as new again', async () => {
    const then = new Date('2030-01-01T10:00:00.000Z');
    const email = uniqueEmail('returning');
    await signIn(email, then, { fingerprint: LAPTOP });
    expect((await signIn(email, at(then, 89 * 86_400), { fingerprint: LAPTOP })).newDevice).toBe(false);
    expect((await signIn(email, at(then, 89 * 86_400 + 91 * 86_400), { fingerprint: LAPTOP })).newDevice).toBe(true);
  });

  it('someone invited by an admin is not warned about their very first sign-in: it creates their account', async () => {
    const org = await orgWithMembers();
    const invited = uniqueEmail('invited');
    await inviteToken(org.asOwner, invited, 'member');
    expect(await signIn(invited, new Date(), { fingerprint: PHONE })).toMatchObject({ newUser: true, newDevice: false });
  });
});

describe('the new-device email', () => {
  const at1402 = new Date('2030-03-04T14:02:31.000Z');
  /** A mailer that keeps what it is given. */
  function capturing(): { mailer: Mailer; sent: MailMessage[] } {
    const sent: MailMessage[] = [];
    return { sent, mailer: { send: async (message) => void sent.push(message) } };
  }

  it('names the device and the UTC time, and links to the security page', async () => {
    const { mailer, sent } = capturing();
    const notice = {
      to: 'pat@example.test',
      device: 'Firefox on Windows',
      name: 'Work PC',
      at: at1402,
      link: securityPageLink('https://signet.example/'),
      notYouLink: notYouLink('https://signet.example/', 'T'.repeat(43)),
    };
    await expect(sendNewDeviceNotice({ mailer }, notice)).resolves.toBe(true);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.to).toBe('pat@example.test');
    expect(sent[0]?.subject).toBe('New sign-in on Firefox on Windows at 14:02 UTC');
    expect(sent[0]?.text).toContain('Firefox on Windows (named "Work PC") on 4 March 2030 at 14:02 UTC');
    expect(sent[0]?.text).toContain('https://signet.example/settings/security');
  });

  it('uses the bare path when no origin is configured (development)', () => {
    expect(securityPageLink(undefined)).toBe('/settings/security');
  });

  it('a failing mailer is reported, never thrown, and logged without the address', async () => {
    const broken: Mailer = {
      send: async () => {
        throw Object.assign(new Error('550 rejected <pat@example.test>'), { code: 'EENVELOPE' });
      },
    };
    const notice = { to: 'pat@example.test', device: 'Safari on iOS', name: null, at: at1402, link: '/settings/security', notYouLink: '/not-you/x' };
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await expect(sendNewDeviceNotice({ mailer: broken }, notice)).resolves.toBe(false);
      // Logged by code, without the SMTP text that quoted the address.
      expect(logged.mock.calls.join('\n')).toContain('EENVELOPE');
      expect(logged.mock.calls.join('\n')).not.toContain('pat@example.test');
    } finally {
      logged.mockRestore();
    }
  });
});
