import type { OrgActor } from '@/lib/orgs/access';
import { addMember } from '@/lib/orgs/members';
import { getStore } from '@/lib/store';
import { signIn, uniqueEmail } from './helpers';
import { sessionRow as readSessionRow, type SessionRecord } from './inspect';

/** A signed-in person: who they are and the session they hold. */
export type Person = { email: string; userId: string; sessionId: string };

export async function orgOf(sessionId: string): Promise<string> {
  const context = await (await getStore()).findSessionForCheck(sessionId);
  if (!context) throw new Error('no such session in test');
  return context.orgId;
}

export async function sessionRow(sessionId: string): Promise<SessionRecord> {
  const row = await readSessionRow(sessionId);
  if (!row) throw new Error('no such session in test');
  return row;
}

/**
 * An org as admins meet it: an owner (whose sign-up created it), an admin and a member added by
 * the owner before their first sign-in (so their sessions bind to this org), the member on two
 * devices.
 */
export async function orgWithMembers(now = new Date()) {
  const ownerEmail = uniqueEmail('owner');
  const owner = await signIn(ownerEmail, now, { label: 'Owner laptop' });
  const orgId = await orgOf(owner.sessionId);
  const actor: OrgActor = { userId: owner.userId, orgId };
  const adminEmail = uniqueEmail('admin');
  const memberEmail = uniqueEmail('member');
  for (const [email, role] of [[adminEmail, 'admin'], [memberEmail, 'member']] as const) {
    const added = await addMember(actor, { email, role }, now);
    if (!added.ok) throw new Error(`could not add ${role} in test`);
  }
  const admin = await signIn(adminEmail, now, { label: 'Admin laptop' });
  const memberLaptop = await signIn(memberEmail, now, { label: 'Member laptop' });
  const memberPhone = await signIn(memberEmail, now, { label: 'Member phone', fingerprint: 'a'.repeat(64) });
  return {
    orgId,
    owner: { email: ownerEmail, userId: owner.userId, sessionId: owner.sessionId },
    admin: { email: adminEmail, userId: admin.userId, sessionId: admin.sessionId },
    member: { email: memberEmail, userId: memberLaptop.userId, sessionId: memberLaptop.sessionId, phoneSessionId: memberPhone.sessionId },
    asOwner: actor,
    asAdmin: { userId: admin.userId, orgId } satisfies OrgActor,
    asMember: { userId: memberLaptop.userId, orgId } satisfies OrgActor,
  };
}
