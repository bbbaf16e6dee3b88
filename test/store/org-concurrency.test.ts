import { describe, expect, it } from 'vitest';
import { INVITATION_EMAILS_PER_ADDRESS_PER_DAY, INVITATIONS_PER_ORG_PER_HOUR, ORGS_CREATED_PER_DAY } from '@/lib/rules';
import { getStore } from '@/lib/store';
import { count } from '@/test/inspect';
import { at, context, DAY, invite, join, newEmail, newTokenHash, orgOwner, orgWithMembers, signIn } from './fixtures';

/**
 * The org operations' concurrency contracts, with real parallel calls (each on its own pooled
 * connection on PostgreSQL, interleaved through the write lock on SQLite): the answers must be the
 * same on both engines.
 */

const T0 = new Date('2031-12-02T10:00:00.000Z');
const T1 = at(T0, 60);
const times = <T>(n: number, call: (i: number) => Promise<T>): Promise<T[]> => Promise.all(Array.from({ length: n }, (_, i) => call(i)));
const okCount = (answers: Array<{ ok: boolean }>) => answers.filter((answer) => answer.ok).length;

describe('invitation concurrency', () => {
  it('L10: 10 accepts of one invitation at once (two devices of the invitee) → exactly one joins, one membership', async () => {
    const store = await getStore();
    const org = await orgWithMembers(T0);
    const email = newEmail('double-accept');
    const token = await invite(org.asAdmin, email, 'member', T0);
    const devices = [await signIn(email, T0, { device: { label: 'Laptop' } }), await signIn(email, T0, { device: { label: 'Phone' } })];
    const answers = await times(10, (i) => store.acceptInvitation({ userId: devices[0]!.userId, sessionId: devices[i % 2]!.sessionId }, token, T1));
    expect(okCount(answers)).toBe(1);
    expect(answers.filter((a) => !a.ok).map((a) => (a.ok ? '' : a.error))).toEqual(Array(9).fill('closed'));
    expect(await count('SELECT count(*) AS n FROM memberships WHERE user_id = $1 AND org_id = $2', [devices[0]!.userId, org.orgId])).toBe(1);
    expect(await count("SELECT count(*) AS n FROM security_events WHERE type = 'invitation_accepted' AND user_id = $1", [devices[0]!.userId])).toBe(1);
  });

  it('L10: an accept racing a revoke (15 invitations) → exactly one of the two wins each time, and a membership exists only if the accept won', async () => {
    const store = await getStore();
    const org = await orgWithMembers(T0);
    const people = await times(15, (i) => signIn(newEmail(`race-${i}`), T0));
    const tokens = await Promise.all(people.map((p) => invite(org.asAdmin, p.email, 'member', T0)));
    const pending = await store.listInvitations(org.orgId, T0);
    await Promise.all(
      people.map(async (person, i) => {
        const id = pending.find((p) => p.email === person.email)?.id ?? '';
        const [accepted, revoked] = await Promise.all([
          store.acceptInvitation({ userId: person.userId, sessionId: person.sessionId }, tokens[i]!, T1),
          store.revokeInvitation(org.asAdmin, id, T1),
        ]);
        expect(accepted.ok !== revoked.ok).toBe(true);
        const members = await count('SELECT count(*) AS n FROM memberships WHERE user_id = $1 AND org_id = $2', [person.userId, org.orgId]);
        expect(members).toBe(accepted.ok ? 1 : 0);
      }),
    );
  });

  it(`30 invitations from one org at once → exactly ${INVITATIONS_PER_ORG_PER_HOUR} stored; 5 admins inviting one address at once → one`, async () => {
    const store = await getStore();
    const owner = await orgOwner(newEmail('burst-org'), T0);
    const actor = { userId: owner.userId, orgId: owner.orgId };
    const answers = await times(30, (i) => store.createInvitation(actor, { email: newEmail(`b${i}`), role: 'member', tokenHash: newTokenHash(), expiresAt: at(T1, DAY) }, T1));
    expect(okCount(answers)).toBe(INVITATIONS_PER_ORG_PER_HOUR);
    expect(answers.filter((a) => !a.ok && a.error === 'invite_limit')).toHaveLength(30 - INVITATIONS_PER_ORG_PER_HOUR);

    const org = await orgWithMembers(T0);
    const admins = [org.asOwner, org.asAdmin, ...(await times(3, (i) => join(org.asOwner, newEmail(`admin-${i}`), 'admin', T0))).map((a) => ({ userId: a.userId, orgId: org.orgId }))];
    const email = newEmail('wanted');
    const same = await Promise.all(admins.map((a) => store.createInvitation(a, { email, role: 'member', tokenHash: newTokenHash(), expiresAt: at(T1, DAY) }, T1)));
    expect(okCount(same)).toBe(1);
    expect(same.filter((a) => !a.ok && a.error === 'already_invited')).toHaveLength(4);
  });

  it(`10 orgs inviting one address at once → exactly ${INVITATION_EMAILS_PER_ADDRESS_PER_DAY} emailed, all 10 stored with the same answer`, async () => {
    const store = await getStore();
    const owners = await times(10, (i) => orgOwner(newEmail(`org-${i}`), T0));
    const email = newEmail('much-invited');
    const answers = await Promise.all(
      owners.map((o) => store.createInvitation({ userId: o.userId, orgId: o.orgId }, { email, role: 'member', tokenHash: newTokenHash(), expiresAt: at(T1, DAY) }, T1)),
    );
    expect(okCount(answers)).toBe(10);
    expect(answers.filter((a) => a.ok && a.sendMail)).toHaveLength(INVITATION_EMAILS_PER_ADDRESS_PER_DAY);
  });
});

describe('org life concurrency', () => {
  it('the last-owner race: two owners leaving at once → one leaves, the other is refused (last_owner), 20 orgs in a row', async () => {
    const store = await getStore();
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const first = await orgOwner(newEmail(`first-${i}`), T0);
        const second = await join({ userId: first.userId, orgId: first.orgId }, newEmail(`second-${i}`), 'owner', T0);
        const answers = await Promise.all(
          [first, second].map((o) => store.leaveOrg({ userId: o.userId, sessionId: o.sessionId, orgId: first.orgId }, T1)),
        );
        expect(answers.map((a) => (a.ok ? 'ok' : a.error)).sort()).toEqual(['last_owner', 'ok']);
        expect(await count("SELECT count(*) AS n FROM memberships WHERE org_id = $1 AND role = 'owner'", [first.orgId])).toBe(1);
      }),
    );
  });

  it('the last-owner race: an owner handing the org to a member while that member leaves → the org always keeps an owner', async () => {
    const store = await getStore();
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        const org = await orgWithMembers(T0);
        await Promise.all([
          store.transferOwnership(org.asOwner, org.member.userId, T1),
          store.leaveOrg({ userId: org.member.userId, sessionId: org.member.sessionId, orgId: org.orgId }, T1),
        ]);
        expect(await count("SELECT count(*) AS n FROM memberships WHERE org_id = $1 AND role = 'owner'", [org.orgId])).toBe(1);
      }),
    );
  });

  it('a deletion racing an accept → no membership survives, the invitation is closed, and no live session is left in the org', async () => {
    const store = await getStore();
    await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const org = await orgWithMembers(T0);
        const person = await signIn(newEmail(`late-joiner-${i}`), T0);
        const token = await invite(org.asAdmin, person.email, 'member', T0);
        await Promise.all([
          store.acceptInvitation({ userId: person.userId, sessionId: person.sessionId }, token, T1),
          store.deleteOrg({ userId: org.owner.userId, sessionId: org.owner.sessionId, orgId: org.orgId }, org.orgName, T1),
        ]);
        expect(await count('SELECT count(*) AS n FROM memberships WHERE org_id = $1', [org.orgId])).toBe(0);
        expect(await count("SELECT count(*) AS n FROM org_invitations WHERE org_id = $1 AND status = 'pending'", [org.orgId])).toBe(0);
        expect(await count('SELECT count(*) AS n FROM sessions WHERE org_id = $1 AND revoked_at IS NULL', [org.orgId])).toBe(0);
        // The invitee's own session is live only outside the deleted org.
        const after = await context(person.sessionId);
        expect(after?.orgId !== org.orgId || after.revokedReason === 'org_deleted').toBe(true);
      }),
    );
  });

  it(`${ORGS_CREATED_PER_DAY + 5} creations by one person at once → exactly ${ORGS_CREATED_PER_DAY}`, async () => {
    const store = await getStore();
    const person = await signIn(newEmail('eager'), T0);
    const answers = await times(ORGS_CREATED_PER_DAY + 5, (i) => store.createOrg({ userId: person.userId, sessionId: person.sessionId }, `Org ${i}`, T1));
    expect(okCount(answers)).toBe(ORGS_CREATED_PER_DAY);
    expect((await store.listUserOrgs(person.userId)).length).toBe(ORGS_CREATED_PER_DAY + 1);
  });
});
