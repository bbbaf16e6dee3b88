import type { OrgActor } from '@/lib/orgs/access';
import { acceptInvitation, inviteMember } from '@/lib/orgs/invitations';
import { getStore } from '@/lib/store';
import type { Role } from '@/lib/store/model';
import { contextAt, signIn, uniqueEmail } from './helpers';
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

/** `actor` invites `email` through lib (the email goes to the dev mailbox); returns the link's token. */
export async function inviteToken(actor: OrgActor, email: string, role: Role, now = new Date()): Promise<string> {
  let token = '';
  const invited = await inviteMember(await contextAt(now), actor, { email, role }, (issued) => ((token = issued), `http://signet.test/invitations/${issued}`));
  if (!invited.ok) throw new Error(`could not invite in test: ${invited.error}`);
  return token;
}

/** `person` accepts the invitation behind `token` from their session, which moves into the org. */
export async function accept(person: { userId: string; sessionId: string }, token: string, now = new Date()): Promise<string> {
  const accepted = await acceptInvitation(await contextAt(now), { userId: person.userId, sessionId: person.sessionId }, token);
  if (!accepted.ok) throw new Error(`could not accept in test: ${accepted.error}`);
  return accepted.orgId;
}

/** Joining by consent: invited, signed in as the address (their personal org), accepted from that session. */
export async function joinOrg(actor: OrgActor, email: string, role: Role, now = new Date(), options: Parameters<typeof signIn>[2] = {}) {
  const token = await inviteToken(actor, email, role, now);
  const signed = await signIn(email, now, options);
  await accept(signed, token, now);
  return signed;
}

/** `email` signs up (into their personal org), then creates an org of their own and works in it. */
export async function orgOwnedBy(email: string, now = new Date(), options: Parameters<typeof signIn>[2] = {}) {
  const signed = await signIn(email, now, options);
  const personalOrgId = await orgOf(signed.sessionId);
  const name = `Org of ${email.split('@')[0] ?? email}`;
  const created = await (await getStore()).createOrg({ userId: signed.userId, sessionId: signed.sessionId }, name, now);
  if (!created.ok) throw new Error(`could not create an org in test: ${created.error}`);
  return { ...signed, orgId: created.orgId, orgName: name, personalOrgId };
}

/**
 * An org as admins meet it: its owner (who created it), an admin and a member who each accepted an
 * invitation from a session now in it, and the member's phone, which signed in afterwards and
 * landed in the org they used last: this one.
 */
export async function orgWithMembers(now = new Date()) {
  const ownerEmail = uniqueEmail('owner');
  const owner = await orgOwnedBy(ownerEmail, now, { label: 'Owner laptop' });
  const actor: OrgActor = { userId: owner.userId, orgId: owner.orgId };
  const adminEmail = uniqueEmail('admin');
  const memberEmail = uniqueEmail('member');
  const admin = await joinOrg(actor, adminEmail, 'admin', now, { label: 'Admin laptop' });
  const memberLaptop = await joinOrg(actor, memberEmail, 'member', now, { label: 'Member laptop' });
  const memberPhone = await signIn(memberEmail, now, { label: 'Member phone', fingerprint: 'a'.repeat(64) });
  if ((await orgOf(memberPhone.sessionId)) !== owner.orgId) throw new Error('the member’s phone did not land in the org in test');
  return {
    orgId: owner.orgId,
    orgName: owner.orgName,
    owner: { email: ownerEmail, userId: owner.userId, sessionId: owner.sessionId, personalOrgId: owner.personalOrgId },
    admin: { email: adminEmail, userId: admin.userId, sessionId: admin.sessionId },
    member: { email: memberEmail, userId: memberLaptop.userId, sessionId: memberLaptop.sessionId, phoneSessionId: memberPhone.sessionId },
    asOwner: actor,
    asAdmin: { userId: admin.userId, orgId: owner.orgId } satisfies OrgActor,
    asMember: { userId: memberLaptop.userId, orgId: owner.orgId } satisfies OrgActor,
  };
}
