import { describe, expect, it } from 'vitest';
import { ORGS_CREATED_PER_DAY } from '@/lib/rules';
import { getStore } from '@/lib/store';
import { count } from '@/test/inspect';
import { at, context, DAY, events, invite, iso, newEmail, orgWithMembers, signIn } from './fixtures';

/** An org's life: createOrg, renameOrg, transferOwnership, deleteOrg. */

const T0 = new Date('2031-11-03T08:00:00.000Z');
const T1 = at(T0, 600);

describe('createOrg', () => {
  it('makes the person its owner, moves this session into it and records it; at most a few a day', async () => {
    const store = await getStore();
    const person = await signIn(newEmail('founder'), T0);
    const created = await store.createOrg({ userId: person.userId, sessionId: person.sessionId }, 'Acme', T1);
    if (!created.ok) throw new Error(created.error);
    expect(await context(person.sessionId)).toMatchObject({ orgId: created.orgId, orgName: 'Acme', role: 'owner' });
    expect((await store.listUserOrgs(person.userId)).map((o) => [o.name, o.role, o.personal])).toEqual([
      [expect.any(String), 'owner', true],
      ['Acme', 'owner', false],
    ]);
    expect(await events({ orgId: created.orgId }, 'org_created')).toMatchObject([{ userId: person.userId, detail: 'Acme', at: iso(T1) }]);
    for (let i = 1; i < ORGS_CREATED_PER_DAY; i += 1) expect(await store.createOrg({ userId: person.userId, sessionId: person.sessionId }, `Org ${i}`, at(T1, i))).toMatchObject({ ok: true });
    expect(await store.createOrg({ userId: person.userId, sessionId: person.sessionId }, 'One too many', at(T1, 100))).toEqual({ ok: false, error: 'create_limit' });
    expect(await store.createOrg({ userId: person.userId, sessionId: person.sessionId }, 'Tomorrow', at(T1, DAY + 1))).toMatchObject({ ok: true });
  });
});

describe('renameOrg', () => {
  it('owners rename (their personal org too); admins are refused (forbidden), members and outsiders find nothing', async () => {
    const store = await getStore();
    const org = await orgWithMembers(T0);
    expect(await store.renameOrg(org.asAdmin, 'Admin’s name', T1)).toEqual({ ok: false, error: 'forbidden' });
    expect(await store.renameOrg(org.asMember, 'Member’s name', T1)).toEqual({ ok: false, error: 'not_found' });
    expect(await store.renameOrg(org.asOwner, 'Renamed', T1)).toEqual({ ok: true });
    expect((await context(org.member.sessionId))?.orgName).toBe('Renamed');
    expect(await events({ orgId: org.orgId }, 'org_renamed')).toMatchObject([{ actorUserId: org.owner.userId, detail: 'Renamed' }]);
    expect(await store.renameOrg({ userId: org.owner.userId, orgId: org.owner.personalOrgId }, 'Home', T1)).toEqual({ ok: true });
  });
});

describe('transferOwnership', () => {
  it('the new owner is an owner, the old one an admin: the org always has one; only owners may, only to members', async () => {
    const store = await getStore();
    const org = await orgWithMembers(T0);
    const outsider = await signIn(newEmail('outsider'), T0);
    expect(await store.transferOwnership(org.asAdmin, org.admin.userId, T1)).toEqual({ ok: false, error: 'forbidden' });
    expect(await store.transferOwnership(org.asMember, org.member.userId, T1)).toEqual({ ok: false, error: 'not_found' });
    expect(await store.transferOwnership(org.asOwner, org.owner.userId, T1)).toEqual({ ok: false, error: 'self' });
    expect(await store.transferOwnership(org.asOwner, outsider.userId, T1)).toEqual({ ok: false, error: 'not_found' });
    expect(await store.transferOwnership(org.asOwner, org.member.userId, T1)).toEqual({ ok: true });
    const roles = Object.fromEntries((await store.listMembers(org.orgId, T1)).map((m) => [m.userId, m.role]));
    expect([roles[org.owner.userId], roles[org.admin.userId], roles[org.member.userId]]).toEqual(['admin', 'admin', 'owner']);
    expect(await events({ orgId: org.orgId }, 'ownership_transferred')).toMatchObject([{ userId: org.member.userId, actorUserId: org.owner.userId }]);
    // The old owner is an admin now: they cannot take it back.
    expect(await store.transferOwnership(org.asOwner, org.owner.userId, at(T1, 1))).toEqual({ ok: false, error: 'forbidden' });
  });
});

describe('deleteOrg', () => {
  it('ends every session in it but the acting one (org_deleted), revokes its invitations, drops every membership; members fall back to their personal orgs', async () => {
    const store = await getStore();
    const org = await orgWithMembers(T0);
    const person = await signIn(newEmail('was-invited'), T0);
    const pending = await invite(org.asAdmin, person.email, 'member', T0);
    const ownerPhone = await signIn(org.emails.owner, T0, { device: { label: 'Owner phone' } });
    const scope = { userId: org.owner.userId, sessionId: org.owner.sessionId, orgId: org.orgId };

    expect(await store.deleteOrg({ ...scope, userId: org.admin.userId, sessionId: org.admin.sessionId }, org.orgName, T1)).toEqual({ ok: false, error: 'forbidden' });
    expect(await store.deleteOrg(scope, 'Not its name', T1)).toEqual({ ok: false, error: 'name_mismatch' });
    expect(await store.deleteOrg({ ...scope, orgId: org.owner.personalOrgId }, 'anything', T1)).toEqual({ ok: false, error: 'personal' });
    expect(await store.deleteOrg(scope, org.orgName, T1)).toEqual({ ok: true });

    expect(await context(org.owner.sessionId)).toMatchObject({ orgId: org.owner.personalOrgId, revokedAt: null, role: 'owner' });
    for (const s of [ownerPhone, org.admin, org.member, org.memberPhone]) {
      expect(await context(s.sessionId)).toMatchObject({ revokedAt: iso(T1), revokedReason: 'org_deleted', orgName: org.orgName });
    }
    expect(await count('SELECT count(*) AS n FROM memberships WHERE org_id = $1', [org.orgId])).toBe(0);
    expect((await store.listUserOrgs(org.member.userId)).map((o) => o.personal)).toEqual([true]);
    expect((await signIn(org.emails.member, at(T1, 5))).orgId).not.toBe(org.orgId);
    expect(await store.acceptInvitation({ userId: person.userId, sessionId: person.sessionId }, pending, at(T1, 5))).toEqual({ ok: false, error: 'closed' });
    expect(await events({ userId: person.userId }, 'invitation_revoked')).toHaveLength(1);
    const deleted = await events({ orgId: org.orgId }, 'org_deleted');
    expect(deleted.map((e) => e.userId).sort()).toEqual([org.owner.userId, org.admin.userId, org.member.userId].sort());
    expect(await events({ userId: org.member.userId }, 'org_deleted')).toMatchObject([{ actorUserId: org.owner.userId, detail: org.orgName }]);
    // Gone for every operation.
    expect(await store.deleteOrg(scope, org.orgName, at(T1, 6))).toEqual({ ok: false, error: 'not_found' });
    expect(await store.renameOrg(org.asOwner, 'Back', at(T1, 6))).toEqual({ ok: false, error: 'not_found' });
    expect(await store.createInvitation(org.asOwner, { email: newEmail('late'), role: 'member', tokenHash: 'x', expiresAt: at(T1, DAY) }, at(T1, 6))).toEqual({
      ok: false,
      error: 'not_found',
    });
  });
});
