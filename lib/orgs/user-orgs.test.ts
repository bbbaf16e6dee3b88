import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { at, signIn, uniqueEmail } from '@/test/helpers';
import { orgOf, orgWithMembers, sessionRow } from '@/test/org-fixtures';
import { findSessionContext } from '../auth/sessions';
import { getDb } from '../db';
import { securityEvents } from '../db/schema';
import { randomId } from '../ids';
import { addMember, listMembers } from './members';
import { leaveOrg, listUserOrgs, switchSessionOrg } from './user-orgs';

const db = () => getDb();

/** Someone who owns their personal org and is a member of `org`, signed in to their personal one. */
async function twoOrgPerson(now: Date) {
  const org = await orgWithMembers(now);
  const email = uniqueEmail('two-orgs');
  const person = await signIn(email, now);
  const home = orgOf(person.sessionId);
  // Joined a second later, so the personal org stays the oldest membership.
  expect(addMember(db(), org.asOwner, { email, role: 'member' }, at(now, 1))).toEqual({ ok: true });
  return { org, person, home, email };
}

describe('org switch', () => {
  it('moves this session to another of the person’s orgs, with their role there, and records it', async () => {
    const now = new Date();
    const { org, person, home } = await twoOrgPerson(now);
    expect(listUserOrgs(db(), person.userId).map((o) => [o.orgId, o.role])).toEqual([
      [home, 'owner'],
      [org.orgId, 'member'],
    ]);
    expect(switchSessionOrg(db(), { userId: person.userId, sessionId: person.sessionId, orgId: org.orgId }, now)).toEqual({ ok: true });
    expect(findSessionContext(db(), person.sessionId)).toMatchObject({ orgId: org.orgId, role: 'member' });
    const event = db().select().from(securityEvents).where(eq(securityEvents.sessionId, person.sessionId)).all().at(-1);
    expect(event).toMatchObject({ type: 'org_switched', userId: person.userId, orgId: org.orgId });
  });

  it('refuses an org the person is not in, and another person’s session, changing nothing', async () => {
    const now = new Date();
    const { org, person, home } = await twoOrgPerson(now);
    const stranger = await orgWithMembers(now);
    expect(switchSessionOrg(db(), { userId: person.userId, sessionId: person.sessionId, orgId: stranger.orgId }, now)).toEqual({
      ok: false,
      error: 'not_found',
    });
    expect(switchSessionOrg(db(), { userId: person.userId, sessionId: org.member.sessionId, orgId: org.orgId }, now)).toEqual({
      ok: false,
      error: 'not_found',
    });
    expect(switchSessionOrg(db(), { userId: person.userId, sessionId: randomId(), orgId: org.orgId }, now)).toEqual({ ok: false, error: 'not_found' });
    expect(sessionRow(person.sessionId).orgId).toBe(home);
  });
});

describe('leaving an org', () => {
  it('leaves another org, ending the person’s sessions there only', async () => {
    const now = new Date();
    const { org, person, home, email } = await twoOrgPerson(now);
    const there = await signIn(email, now, { label: 'Work laptop' });
    switchSessionOrg(db(), { userId: person.userId, sessionId: there.sessionId, orgId: org.orgId }, now);
    expect(leaveOrg(db(), { userId: person.userId, sessionId: person.sessionId, orgId: org.orgId }, now)).toEqual({ ok: true });
    expect(sessionRow(there.sessionId)).toMatchObject({ revokedReason: 'sign_out', revokedElsewhere: true });
    expect(sessionRow(person.sessionId).revokedAt).toBeNull();
    expect(listUserOrgs(db(), person.userId).map((o) => o.orgId)).toEqual([home]);
  });

  it('the org this session is in cannot be left (switch first)', async () => {
    const now = new Date();
    const { person, home } = await twoOrgPerson(now);
    expect(leaveOrg(db(), { userId: person.userId, sessionId: person.sessionId, orgId: home }, now)).toEqual({ ok: false, error: 'current_org' });
  });

  it('the last owner cannot leave; with a second owner they can', async () => {
    const now = new Date();
    const { org, person, home } = await twoOrgPerson(now);
    // The person moves this session to the other org and tries to leave the org they alone own.
    switchSessionOrg(db(), { userId: person.userId, sessionId: person.sessionId, orgId: org.orgId }, now);
    expect(leaveOrg(db(), { userId: person.userId, sessionId: person.sessionId, orgId: home }, now)).toEqual({ ok: false, error: 'last_owner' });
    expect(listMembers(db(), home, now).map((m) => m.role)).toEqual(['owner']);

    expect(addMember(db(), { userId: person.userId, orgId: home }, { email: uniqueEmail('heir'), role: 'owner' }, now)).toEqual({ ok: true });
    expect(leaveOrg(db(), { userId: person.userId, sessionId: person.sessionId, orgId: home }, now)).toEqual({ ok: true });
    expect(listMembers(db(), home, now).map((m) => m.role)).toEqual(['owner']);
  });
});
