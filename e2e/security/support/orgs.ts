/**
 * Orgs for the security specs, built through a store of the server's database the way people
 * build them: a person creates an org from one of their sessions, and others join by consent,
 * accepting an invitation from a session of theirs (which moves into the org). No email is sent:
 * the invitation's token hash is chosen here, and accepting uses it directly.
 */
import { randomBytes } from 'node:crypto';
import type { Role } from '../../../lib/store/model';
import type { OrgActor, Store } from '../../../lib/store/types';

type Session = { userId: string; jti: string };

/** `owner`'s session creates an org named `name` and works in it from now on; returns its id. */
export async function createOrgAs(store: Store, owner: Session, name: string): Promise<string> {
  const created = await store.createOrg({ userId: owner.userId, sessionId: owner.jti }, name, new Date());
  if (!created.ok) throw new Error(`could not create the org: ${created.error}`);
  return created.orgId;
}

/** `actor` invites `person`'s address with `role`; `person` accepts from their session, which moves into the org. */
export async function inviteAndAccept(store: Store, actor: OrgActor, person: Session & { email: string }, role: Role): Promise<void> {
  const tokenHash = randomBytes(32).toString('hex');
  const expiresAt = new Date(Date.now() + 86_400_000);
  const sent = await store.createInvitation(actor, { email: person.email.toLowerCase(), role, tokenHash, expiresAt }, new Date());
  if (!sent.ok) throw new Error(`could not invite: ${sent.error}`);
  const accepted = await store.acceptInvitation({ userId: person.userId, sessionId: person.jti }, tokenHash, new Date());
  if (!accepted.ok) throw new Error(`could not accept: ${accepted.error}`);
}
