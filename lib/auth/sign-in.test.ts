import { describe, expect, it } from 'vitest';
import { at, contextAt, uniqueEmail } from '@/test/helpers';
import { getStore } from '../store';
import { normalizeEmail } from '../users';
import { completeSignIn, startChallenge } from './sign-in';

/**
 * Accounts at sign-in. The code rules (C1–C4, W4) are proven in test/security/codes.test.ts, the
 * global send budget (C6) in test/security/send-budget.test.ts and R4 in reliability.test.ts.
 */
const NOW = new Date('2030-02-01T09:00:00.000Z');

async function signInAt(email: string, now = NOW) {
  const context = await contextAt(now);
  const challenge = await startChallenge(context, email);
  if (!challenge.code) throw new Error('no code issued');
  const input = { challengeId: challenge.challengeId, code: challenge.code, deviceFingerprint: 'f'.repeat(64), deviceLabel: 'Laptop', deviceType: 'desktop' as const, persistent: true };
  return completeSignIn(context, input);
}

describe('sign-in: accounts', () => {
  it('an unknown address creates a user with a personal org they own; a known one reuses them', async () => {
    const email = normalizeEmail(uniqueEmail('signin'));
    const first = await signInAt(email);
    if (!first.ok) throw new Error('sign-in failed');
    expect(first).toMatchObject({ newUser: true, email });
    const store = await getStore();
    const orgs = await store.listUserOrgs(first.userId);
    expect(orgs).toEqual([expect.objectContaining({ role: 'owner', personal: true, name: `${email.split('@')[0]}'s org` })]);

    const second = await signInAt(email, at(NOW, 60));
    expect(second).toMatchObject({ ok: true, newUser: false, userId: first.userId });
    expect(await store.listUserOrgs(first.userId)).toEqual(orgs);
  });
});
