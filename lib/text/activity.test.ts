import { describe, expect, it } from 'vitest';
import { at, contextAt, signIn } from '@/test/helpers';
import { accept, inviteToken, orgWithMembers } from '@/test/org-fixtures';
import { retireKey } from '../auth/key-rotation';
import { parseKeyring } from '../crypto/keys';
import { endMemberSession } from '../orgs/member-sessions';
import { getStore } from '../store';
import { activityInWords } from './activity';

/** The security log as the security page (`user`) and the org page (`org`) word it. */
async function linesFor(of: { userId: string } | { orgId: string }): Promise<string[]> {
  const rows = await (await getStore()).listActivity(of, 20);
  return activityInWords(rows, 'userId' in of ? 'user' : 'org').map((entry) => entry.text);
}

describe('security activity in words', () => {
  it('tells a member what happened to their account, newest first', async () => {
    const now = new Date();
    const org = await orgWithMembers(now);
    expect(await endMemberSession(await contextAt(at(now, 10)), org.asAdmin, org.member.phoneSessionId)).toEqual({ ok: true });

    const lines = await linesFor({ userId: org.member.userId });
    expect(lines[0]).toMatch(/^An admin of .+ ended your session on Member phone$/);
    expect(lines).toContain('Signed in on Member laptop');
    expect(lines).toContain('Signed in on Member phone');
    expect(lines).toContainEqual(expect.stringMatching(/^You accepted an invitation and joined .+ as member$/));
    // Nothing about anyone else.
    expect(lines.join('\n')).not.toContain('Admin laptop');
  });

  it('shows admins their org’s events, naming who did what, and nothing from other orgs', async () => {
    const now = new Date();
    const org = await orgWithMembers(now);
    const other = await orgWithMembers(now);
    expect(await endMemberSession(await contextAt(at(now, 10)), org.asAdmin, org.member.sessionId)).toEqual({ ok: true });
    expect(await (await getStore()).removeMember(org.asOwner, org.member.userId, at(now, 20))).toEqual({ ok: true });

    const lines = await linesFor({ orgId: org.orgId });
    expect(lines.slice(0, 2)).toEqual([
      `${org.owner.email} removed ${org.member.email}`,
      `${org.admin.email} ended ${org.member.email}'s session on Member laptop`,
    ]);
    expect(lines).toContain(`${org.owner.email} invited ${org.admin.email} as admin`);
    expect(lines).toContain(`${org.admin.email} accepted the invitation and joined as admin`);
    expect(lines).toContain(`${org.owner.email} created this organisation`);
    expect(lines.join('\n')).not.toContain(other.owner.email);
  });

  it('words key retirement and org switches for the person', async () => {
    const now = new Date();
    const t1Entry = (process.env.SIGNET_KEYS ?? '').split(',').find((entry) => entry.startsWith('t1:')) ?? '';
    const org = await orgWithMembers(now);
    await signIn(org.admin.email, now, { keyring: parseKeyring(t1Entry), label: 'Old tablet' });
    const elsewhere = await orgWithMembers(now);
    // The admin accepts the other org's invitation on a second device, then moves the laptop there.
    await accept(await signIn(org.admin.email, now, { label: 'Admin phone' }), await inviteToken(elsewhere.asOwner, org.admin.email, 'member', now), now);
    expect(await (await getStore()).switchSessionOrg({ userId: org.admin.userId, sessionId: org.admin.sessionId, orgId: elsewhere.orgId }, at(now, 1))).toEqual({ ok: true });
    expect(await retireKey(await contextAt(at(now, 2)), 't1')).toMatchObject({ ok: true });

    const lines = await linesFor({ userId: org.admin.userId });
    expect(lines[0]).toBe('Your session on Old tablet ended when a signing key was retired');
    expect(lines[1]).toBe(`Switched Admin laptop to ${elsewhere.orgName}`);
  });

  it('issue 13, item 8: events keep the label they happened under; a rename says from what to what, to the person and in the org log', async () => {
    const now = new Date();
    const email = `history.${Date.now()}@example.test`;
    const laptop = await signIn(email, now, { label: 'Chrome on Windows' });
    const store = await getStore();
    const orgId = (await store.findSessionForCheck(laptop.sessionId))?.orgId ?? '';
    expect(await store.renameDevice({ userId: laptop.userId, orgId }, laptop.sessionId, 'Work laptop', at(now, 1))).toBe(true);

    const mine = await linesFor({ userId: laptop.userId });
    expect(mine).toEqual(['Renamed Chrome on Windows to Work laptop', 'Signed in on Chrome on Windows']);
    const org = await linesFor({ orgId });
    expect(org).toEqual([`${email} renamed Chrome on Windows to Work laptop`, `${email} signed in on Chrome on Windows`]);
  });
});
