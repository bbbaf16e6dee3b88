import { describe, expect, it } from 'vitest';
import { getStore } from '@/lib/store';
import { count } from '@/test/inspect';
import { at, context, DAY, events, invite, iso, newEmail, newTokenHash, orgWithMembers, signIn } from './fixtures';

/** Invitations from the invited person's side (L10): the page's view, accepting, declining. */

const T0 = new Date('2031-11-02T08:00:00.000Z');
const T1 = at(T0, 600);
const actorOf = (signed: { userId: string; sessionId: string }) => ({ userId: signed.userId, sessionId: signed.sessionId });

async function invited(role: 'admin' | 'member' = 'member', lifetime = 7 * DAY) {
  const org = await orgWithMembers(T0);
  const email = newEmail('invitee');
  const token = await invite(org.asAdmin, email, role, T1, lifetime);
  const person = await signIn(email, at(T1, 10), { device: { label: 'Invitee laptop' } });
  return { org, email, token, person };
}

describe('findInvitation', () => {
  it('shows the org, the inviter, the role and the state; a pending one past its end reads as expired; unknown is null', async () => {
    const store = await getStore();
    const { org, email, token } = await invited('admin', 60);
    const view = { email, orgName: org.orgName, inviterEmail: org.emails.admin, role: 'admin', status: 'pending', expiresAt: iso(at(T1, 60)) };
    expect(await store.findInvitation(token, at(T1, 59))).toEqual(view);
    expect(await store.findInvitation(token, at(T1, 60))).toEqual({ ...view, status: 'expired' });
    expect(await store.findInvitation(newTokenHash(), T1)).toBeNull();
  });
});

describe('acceptInvitation', () => {
  it('L10: the invited address joins with the invited role; this session moves into the org; both sides see it', async () => {
    const store = await getStore();
    const { org, email, token, person } = await invited('admin');
    const T2 = at(T1, 20);
    expect(await store.acceptInvitation(actorOf(person), token, T2)).toEqual({ ok: true, orgId: org.orgId });
    expect(await context(person.sessionId)).toMatchObject({ orgId: org.orgId, role: 'admin' });
    expect((await store.listMembers(org.orgId, T2)).find((m) => m.email === email)).toMatchObject({ role: 'admin', joinedAt: iso(T2), liveSessions: 1 });
    expect((await store.findInvitation(token, T2))?.status).toBe('accepted');
    expect(await store.listInvitations(org.orgId, T2)).toEqual([]);
    const accepted = (await events({ orgId: org.orgId }, 'invitation_accepted')).filter((e) => e.userId === person.userId);
    expect(accepted).toMatchObject([{ actorUserId: person.userId, detail: `admin ${email}`, at: iso(T2) }]);
    expect(await events({ userId: person.userId }, 'invitation_accepted')).toHaveLength(1);
  });

  it('L10: works once, only for its address: another account is refused and learns nothing; a second accept or a decline after it is closed', async () => {
    const store = await getStore();
    const { org, token, person } = await invited();
    const other = await signIn(newEmail('holder-of-the-link'), T1);
    expect(await store.acceptInvitation(actorOf(other), token, at(T1, 20))).toEqual({ ok: false, error: 'wrong_address' });
    expect(await store.declineInvitation(actorOf(other), token, at(T1, 20))).toEqual({ ok: false, error: 'wrong_address' });
    expect((await store.listUserOrgs(other.userId)).map((o) => o.orgId)).toEqual([other.orgId]);
    expect((await store.findInvitation(token, at(T1, 20)))?.status).toBe('pending');

    expect(await store.acceptInvitation(actorOf(person), token, at(T1, 30))).toMatchObject({ ok: true });
    const again = await signIn(person.email, at(T1, 40));
    expect(await store.acceptInvitation(actorOf(again), token, at(T1, 41))).toEqual({ ok: false, error: 'closed' });
    expect(await store.declineInvitation(actorOf(again), token, at(T1, 41))).toEqual({ ok: false, error: 'closed' });
    // A used invitation still refuses someone else the same way as before: wrong_address, nothing more.
    expect(await store.acceptInvitation(actorOf(other), token, at(T1, 42))).toEqual({ ok: false, error: 'wrong_address' });
    expect(await count('SELECT count(*) AS n FROM memberships WHERE user_id = $1 AND org_id = $2', [person.userId, org.orgId])).toBe(1);
    expect(await store.acceptInvitation(actorOf(person), newTokenHash(), T1)).toEqual({ ok: false, error: 'not_found' });
  });

  it('L10: dies when it expires (recorded as expired for both sides) or is revoked; no membership either way', async () => {
    const store = await getStore();
    const lapsed = await invited('member', 60);
    expect(await store.acceptInvitation(actorOf(lapsed.person), lapsed.token, at(T1, 60))).toEqual({ ok: false, error: 'expired' });
    expect(await store.acceptInvitation(actorOf(lapsed.person), lapsed.token, at(T1, 61))).toEqual({ ok: false, error: 'expired' });
    expect(await events({ userId: lapsed.person.userId }, 'invitation_expired')).toHaveLength(1);
    expect(await events({ orgId: lapsed.org.orgId }, 'invitation_expired')).toHaveLength(1);

    const withdrawn = await invited();
    const id = (await store.listInvitations(withdrawn.org.orgId, T1))[0]?.id ?? '';
    expect(await store.revokeInvitation(withdrawn.org.asAdmin, id, at(T1, 15))).toEqual({ ok: true });
    expect(await store.acceptInvitation(actorOf(withdrawn.person), withdrawn.token, at(T1, 20))).toEqual({ ok: false, error: 'closed' });
    expect((await store.findInvitation(withdrawn.token, at(T1, 20)))?.status).toBe('revoked');
    for (const { org, person } of [lapsed, withdrawn]) {
      expect(await store.listMemberSessions({ orgId: org.orgId, userId: person.userId }, at(T1, 99))).toBeNull();
      expect((await context(person.sessionId))?.orgId).not.toBe(org.orgId);
    }
  });

  it('someone already a member (through another invitation) keeps the role they have', async () => {
    const store = await getStore();
    const { org, token, person } = await invited('admin');
    const second = await invite(org.asOwner, newEmail('x'), 'member', T1); // unrelated, keeps the org busy
    expect(second).toBeTruthy();
    await store.acceptInvitation(actorOf(person), token, at(T1, 20));
    // A second invitation cannot be sent to a member; one sent before they joined can still be accepted, harmlessly.
    expect(await store.createInvitation(org.asOwner, { email: person.email, role: 'member', tokenHash: newTokenHash(), expiresAt: at(T1, DAY) }, at(T1, 21))).toEqual({
      ok: false,
      error: 'already_member',
    });
    expect((await context(person.sessionId))?.role).toBe('admin');
  });
});

describe('declineInvitation', () => {
  it('closes it without a membership, recorded for both sides; accepting afterwards is closed', async () => {
    const store = await getStore();
    const { org, email, token, person } = await invited();
    expect(await store.declineInvitation(actorOf(person), token, at(T1, 20))).toEqual({ ok: true, orgId: org.orgId });
    expect((await context(person.sessionId))?.orgId).toBe(person.orgId);
    expect(await store.acceptInvitation(actorOf(person), token, at(T1, 21))).toEqual({ ok: false, error: 'closed' });
    expect(await store.listMemberSessions({ orgId: org.orgId, userId: person.userId }, at(T1, 22))).toBeNull();
    expect(await events({ orgId: org.orgId }, 'invitation_declined')).toMatchObject([{ userId: person.userId, detail: `member ${email}` }]);
    expect(await events({ userId: person.userId }, 'invitation_declined')).toHaveLength(1);
  });
});
