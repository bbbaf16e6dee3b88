import { describe, expect, it } from 'vitest';
import { at, signIn, uniqueEmail } from '@/test/helpers';
import { selectRows } from '@/test/inspect';
import { joinOrg, orgOf, orgWithMembers, sessionRow } from '@/test/org-fixtures';
import { randomId } from '../ids';
import { getStore } from '../store';
import { listMembers } from './members';
import { leaveOrg, listUserOrgs, switchSessionOrg } from './user-orgs';

/** Someone with their personal org who joined `org` a second after signing up, working in their personal org. */
async function twoOrgPerson(now: Date) {
  const org = await orgWithMembers(now);
  const email = uniqueEmail('two-orgs');
  const joined = await joinOrg(org.asOwner, email, 'member', at(now, 1));
  const person = await signIn(email, at(now, 2)); // lands in the org used last: `org`
  const home = (await listUserOrgs(person.userId)).find((o) => o.personal)?.orgId ?? '';
  expect(await switchSessionOrg({ userId: person.userId, sessionId: person.sessionId, orgId: home }, at(now, 3))).toEqual({ ok: true });
  return { org, person, joined, home, email };
}

describe('org switch', () => {
  it('moves this session to another of the person’s orgs, with their role there, and records it', async () => {
    const now = new Date();
    const { org, person, home } = await twoOrgPerson(now);
    expect((await listUserOrgs(person.userId)).map((o) => [o.orgId, o.role, o.personal])).toEqual([
      [home, 'owner', true],
      [org.orgId, 'member', false],
    ]);
    expect(await switchSessionOrg({ userId: person.userId, sessionId: person.sessionId, orgId: org.orgId }, at(now, 4))).toEqual({ ok: true });
    expect(await (await getStore()).findSessionForCheck(person.sessionId)).toMatchObject({ orgId: org.orgId, role: 'member' });
    const event = (await selectRows('SELECT * FROM security_events WHERE session_id = $1 ORDER BY id', [person.sessionId])).at(-1);
    expect(event).toMatchObject({ type: 'org_switched', userId: person.userId, orgId: org.orgId });
  });

  it('refuses an org the person is not in, and another person’s session, changing nothing', async () => {
    const now = new Date();
    const { org, person, home } = await twoOrgPerson(now);
    const stranger = await orgWithMembers(now);
    expect(await switchSessionOrg({ userId: person.userId, sessionId: person.sessionId, orgId: stranger.orgId }, now)).toEqual({ ok: false, error: 'not_found' });
    expect(await switchSessionOrg({ userId: person.userId, sessionId: org.member.sessionId, orgId: org.orgId }, now)).toEqual({ ok: false, error: 'not_found' });
    expect(await switchSessionOrg({ userId: person.userId, sessionId: randomId(), orgId: org.orgId }, now)).toEqual({ ok: false, error: 'not_found' });
    expect((await sessionRow(person.sessionId)).orgId).toBe(home);
  });
});

describe('leaving an org', () => {
  it('P3: leaves another org: the org stops seeing the person at once; their sessions there move home, signed in', async () => {
    const now = new Date();
    const { org, person, joined, home } = await twoOrgPerson(now);
    expect(await leaveOrg({ userId: person.userId, sessionId: person.sessionId, orgId: org.orgId }, at(now, 5))).toEqual({ ok: true });
    expect(await sessionRow(joined.sessionId)).toMatchObject({ orgId: home, revokedAt: null });
    expect((await listUserOrgs(person.userId)).map((o) => o.orgId)).toEqual([home]);
    expect((await listMembers(org.orgId, now)).map((m) => m.userId)).not.toContain(person.userId);
  });

  it('the org this session is in can be left too: this session moves home with the others', async () => {
    const now = new Date();
    const { org, person, joined, home } = await twoOrgPerson(now);
    expect(await leaveOrg({ userId: person.userId, sessionId: joined.sessionId, orgId: org.orgId }, at(now, 5))).toEqual({ ok: true });
    expect(await (await getStore()).findSessionForCheck(joined.sessionId)).toMatchObject({ orgId: home, role: 'owner', revokedAt: null });
  });

  it('the last owner cannot leave; nobody leaves their personal org', async () => {
    const now = new Date();
    const { org, person, home } = await twoOrgPerson(now);
    expect(await leaveOrg({ userId: org.owner.userId, sessionId: org.owner.sessionId, orgId: org.orgId }, now)).toEqual({ ok: false, error: 'last_owner' });
    expect(await leaveOrg({ userId: person.userId, sessionId: person.sessionId, orgId: home }, now)).toEqual({ ok: false, error: 'personal' });
    expect((await listMembers(org.orgId, now)).filter((m) => m.role === 'owner')).toHaveLength(1);
    expect(await orgOf(org.owner.sessionId)).toBe(org.orgId);
  });
});
