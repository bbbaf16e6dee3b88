import { createHash, randomBytes } from 'node:crypto';
import { addSeconds } from '../ids';
import { log } from '../log';
import type { Role } from '../store/model';
import type { InvitationAnswered, InvitationView, OrgActor, OrgError, PendingInvitation, SessionActor } from '../store/types';
import { invitationMessage } from '../text/mail';
import type { Context } from '../auth/context';

/**
 * Org invitations (L10): an emailed, single-use link bound to the invited address. The token is
 * 256 random bits and only its SHA-256 is stored, so the database alone cannot make a working link.
 */

export type { InvitationView, PendingInvitation };

/** base64url of 32 random bytes. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

function newInvitationToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The stored form of a token; null for anything that cannot be one (it never reaches the store). */
export function invitationTokenHash(token: string): string | null {
  return TOKEN_SHAPE.test(token) ? createHash('sha256').update(token).digest('hex') : null;
}

export type InviteResult = { ok: true } | { ok: false; error: OrgError | 'mail_failed' };

/**
 * Invites `email` (normalised) to the actor's org and emails the link. The answer never depends
 * on whether the address has an account. Past the address's daily cap the invitation is kept
 * but not emailed, with the same answer (the org page explains the cap in general terms).
 */
export async function inviteMember(
  { store, policy, mailer, now: clock }: Context,
  actor: OrgActor,
  input: { email: string; role: Role },
  linkFor: (token: string) => string,
): Promise<InviteResult> {
  const now = clock();
  const token = newInvitationToken();
  const expiresAt = addSeconds(now, policy.invitationTtlSeconds);
  const tokenHash = invitationTokenHash(token) ?? '';
  const sent = await store.createInvitation(actor, { ...input, tokenHash, expiresAt }, now);
  if (!sent.ok) return sent;
  if (!sent.sendMail) {
    log.info('invitation_not_emailed', { reason: 'address_cap' }); // no address, no org: nothing to link
    return { ok: true };
  }
  try {
    const notice = { to: input.email, inviterEmail: sent.inviterEmail, orgName: sent.orgName, role: input.role, link: linkFor(token), expiresAt };
    await mailer.send(invitationMessage(notice));
    return { ok: true };
  } catch (error) {
    // The error's name and code only: SMTP messages can quote the recipient's address.
    const code = typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : null;
    log.warn('invitation_mail_failed', { error: error instanceof Error ? error.name : 'unknown', code });
    return { ok: false, error: 'mail_failed' };
  }
}

/** The pending invitations of `orgId`, after marking the lapsed ones expired (with their events). */
export async function listPendingInvitations({ store, now: clock }: Context, orgId: string): Promise<PendingInvitation[]> {
  const now = clock();
  try {
    await store.expireInvitations({ orgId }, now);
  } catch (error) {
    // A page must still render on a read-only or busy database; the listing hides lapsed ones anyway.
    log.warn('invitations_not_expired', { error: error instanceof Error ? error.message : 'unknown' });
  }
  return store.listInvitations(orgId, now);
}

/** The invitation a link's token names, or null (also for anything not shaped like a token). */
export async function findInvitation({ store, now }: Context, token: string): Promise<InvitationView | null> {
  const hash = invitationTokenHash(token);
  return hash ? store.findInvitation(hash, now()) : null;
}

/** The signed-in person accepts; only works signed in as the invited address, once. */
export async function acceptInvitation({ store, now }: Context, actor: SessionActor, token: string): Promise<InvitationAnswered> {
  const hash = invitationTokenHash(token);
  return hash ? store.acceptInvitation(actor, hash, now()) : { ok: false, error: 'not_found' };
}

/** The signed-in person declines; the same rules as accepting. */
export async function declineInvitation({ store, now }: Context, actor: SessionActor, token: string): Promise<InvitationAnswered> {
  const hash = invitationTokenHash(token);
  return hash ? store.declineInvitation(actor, hash, now()) : { ok: false, error: 'not_found' };
}
