import { describe, expect, it } from 'vitest';
import { at, signIn, uniqueEmail } from '@/test/helpers';
import { selectRows } from '@/test/inspect';
import { orgOf, orgWithMembers, sessionRow } from '@/test/org-fixtures';
import { randomId } from '../ids';
import { getStore } from '../store';
import { addMember, listMembers } from './members';
import { leaveOrg, listUserOrgs, switchSessionOrg } from './user-orgs';

/** Someone who owns their personal org and is a member of `org`, signed in to their personal one. */
async function twoOrgPerson(now: Date) {
  const org = await orgWithMembers(now);
  const email = uniqueEmail('two-orgs');
  const person = await signIn(email, now);
  const home = await orgOf(person.sessionId);
  // Joined a second later, so the personal org stays the oldest membership.
  expect(await addMember(org.asOwner, { email, role: 'member' }, at(now, 1))).toEqual({ ok: true });
  return { org, person, home, email };
}

describe('org switch', () => {
  it('moves this session to another of the person’s orgs, with their role there, and records it', async () => {
    const now = new Date();
    const { org, person, home } = await twoOrgPerson(now);
    expect((await listUserOrgs(person.userId)).map((o) => [o.orgId, o.role])).toEqual([
      [home, 'owner'],
      [org.orgId, 'member'],
    ]);
    expect(await switchSessionOrg({ userId: person.userId, sessionId: person.sessionId, orgId: org.orgId }, now)).toEqual({ ok: true });
    expect(await (await getStore()).findSessionForCheck(person.sessionId)).toMatchObject({ orgId: org.orgId, role: 'member' });
    const event = (await selectRows('SELECT * FROM security_events WHERE session_id = $1 ORDER BY id', [person.sessionId])).at(-1);
    expect(event).toMatchObject({ type: 'org_switched', userId: person.userId, orgId: org.orgId });
  });

  it('refuses an org the person is not in, and another person’s session, changing nothing', async () => {
    const now = new Date();
    const { org, person, home } = await twoOrgPerson(now);
    const stranger = await orgWithMembers(now);
    expect(await switchSessionOrg({ userId: person.userId, sessionId: person.sessionId, orgId: stranger.orgId }, now)).toEqual({
      ok: false,
      error: 'not_found',
    });
    expect(await switchSessionOrg({ userId: person.userId, sessionId: org.member.sessionId, orgId: org.orgId }, now)).toEqual({
      ok: false,
      error: 'not_found',
    });
    expect(await switchSessionOrg({ userId: person.userId, sessionId: randomId(), orgId: org.orgId }, now)).toEqual({ ok: false, error: 'not_found' });
    expect((await sessionRow(person.sessionId)).orgId).toBe(home);
  });
});

describe('leaving an org', () => {
  it('leaves another org, ending the person’s sessions there only', async () => {
    const now = new Date();
    const { org, person, home, email } = await twoOrgPerson(now);
    const there = await signIn(email, now, { label: 'Work laptop' });
    expect(await switchSessionOrg({ userId: person.userId, sessionId: there.sessionId, orgId: org.orgId }, now)).toEqual({ ok: true });
    expect(await leaveOrg({ userId: person.userId, sessionId: person.sessionId, orgId: org.orgId }, now)).toEqual({ ok: true });
    expect(await sessionRow(there.sessionId)).toMatchObject({ revokedReason: 'sign_out', revokedElsewhere: true });
    expect((await sessionRow(person.sessionId)).revokedAt).toBeNull();
    expect((await listUserOrgs(person.userId)).map((o) => o.orgId)).toEqual([home]);
  });

  it('the org this session is in cannot be left (switch first)', async () => {
    const now = new Date();
    const { person, home } = await twoOrgPerson(now);
    expect(await leaveOrg({ userId: person.userId, sessionId: person.sessionId, orgId: home }, now)).toEqual({ ok: false, error: 'current_org' });
  });

  it('the last owner cannot leave; with a second owner they can', async () => {
    const now = new Date();
    const { org, person, home } = await twoOrgPerson(now);
    // The person moves this session to the other org and tries to leave the org they alone own.
    expect(await switchSessionOrg({ userId: person.userId, sessionId: person.sessionId, orgId: org.orgId }, now)).toEqual({ ok: true });
    expect(await leaveOrg({ userId: person.userId, sessionId: person.sessionId, orgId: home }, now)).toEqual({ ok: false, error: 'last_owner' });
    expect((await listMembers(home, now)).map((m) => m.role)).toEqual(['owner']);

    expect(await addMember({ userId: person.userId, orgId: home }, { email: uniqueEmail('heir'), role: 'owner' }, now)).toEqual({ ok: true });
    expect(await leaveOrg({ userId: person.userId, sessionId: person.sessionId, orgId: home }, now)).toEqual({ ok: true });
    expect((await listMembers(home, now)).map((m) => m.role)).toEqual(['owner']);
  });
});
