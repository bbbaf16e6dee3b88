import { describe, expect, it } from 'vitest';
import { at, contextAt, signIn } from '@/test/helpers';
import { orgOf, orgWithMembers } from '@/test/org-fixtures';
import { getStore } from '../store';
import { listOrgContacts } from './members';

describe('org members: what every member sees', () => {
  it('P3: the owners’ and admins’ addresses and roles, and nothing about sessions or plain members', async () => {
    const now = new Date();
    const org = await orgWithMembers(now);
    expect(await listOrgContacts(await contextAt(now), org.orgId)).toEqual([
      { email: org.owner.email, role: 'owner' },
      { email: org.admin.email, role: 'admin' },
    ]);
  });

  it('someone removed signs in again into their personal org, which they kept all along', async () => {
    const now = new Date();
    const org = await orgWithMembers(now);
    const store = await getStore();
    const home = (await store.listUserOrgs(org.member.userId))[0];
    expect(home?.personal).toBe(true);
    expect(await store.removeMember(org.asOwner, org.member.userId, now)).toEqual({ ok: true });
    const again = await signIn(org.member.email, at(now, 60));
    expect(again.userId).toBe(org.member.userId);
    expect(await orgOf(again.sessionId)).toBe(home?.orgId);
  });
});
