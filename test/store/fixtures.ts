import { randomBytes } from 'node:crypto';
import { randomId } from '@/lib/ids';
import { ROOMY_BUDGET } from '@/test/helpers';
import { getStore, type ConfirmSignIn, type NewDevice, type OrgActor, type SignedIn, type StoredChallenge } from '@/lib/store';
import type { Role } from '@/lib/store/model';

/**
 * Fixtures for the conformance suite, built only from Store methods so they hold on both engines.
 * Every method takes its clock, so tests pass fixed instants (`at(T0, seconds)`).
 */

export { ROOMY_BUDGET };

export const DAY = 86_400;
export const GRACE = 10;
export const CODE = 'h'; // the "HMAC" the fixtures store; the store only hands it back to codeMatches

export const at = (base: Date, seconds: number): Date => new Date(base.getTime() + seconds * 1000);
export const iso = (date: Date): string => date.toISOString();

/** A fresh lower-cased address (as lib/users normalises them), so tests never share throttles. */
export function newEmail(name = 'person'): string {
  return `${name}.${randomBytes(5).toString('hex')}@example.test`;
}

export const localPart = (email: string): string => email.split('@')[0] ?? email;

export const FINGERPRINT = 'f'.repeat(64);

export type SignInOptions = { device?: Partial<NewDevice>; kid?: string; lifetimeSeconds?: number; alertTokenHash?: string };

/** Stores a code for `email` as /sign-in/send does; returns its challenge id (throws when capped). */
export async function sendCode(email: string, now: Date, codeHmac = CODE): Promise<string> {
  const id = randomId();
  const sent = await (await getStore()).createChallenge({ id, email, codeHmac, kid: 't2', expiresAt: at(now, 600) }, now, ROOMY_BUDGET);
  if (sent !== 'sent') throw new Error(`send refused in test for ${email}: ${sent}`);
  return id;
}

/** The address of a challenge that can still be confirmed at `now` (unused, unexpired), else null. */
export async function openEmail(challengeId: string, now: Date): Promise<string | null> {
  const challenge = await (await getStore()).findChallenge(challengeId);
  return challenge && challenge.consumedAt === null && challenge.expiresAt > iso(now) ? challenge.email : null;
}

export const rightCode = (challenge: StoredChallenge): boolean => challenge.codeHmac === CODE;
export const wrongCode = (): boolean => false;

export function confirmInput(challengeId: string, now: Date, options: SignInOptions = {}, codeMatches = rightCode): ConfirmSignIn {
  return {
    challengeId,
    codeMatches,
    device: { fingerprint: FINGERPRINT, label: 'Laptop', type: 'desktop', persistent: true, ...options.device },
    kid: options.kid ?? 't2',
    accessExpiresAt: at(now, 900),
    refreshExpiresAt: at(now, options.lifetimeSeconds ?? 30 * DAY),
    alertTokenHash: options.alertTokenHash,
  };
}

/** A whole sign-in (send, then confirm the right code); throws if the store refuses it. */
export async function signIn(email: string, now: Date, options: SignInOptions = {}): Promise<SignedIn> {
  const challengeId = await sendCode(email, now);
  const signed = await (await getStore()).confirmSignIn(confirmInput(challengeId, now, options), now);
  if (!signed) throw new Error(`sign-in refused in test for ${email}`);
  return signed;
}

/** Rotates `signed`'s refresh token from `generation` at `now`, with a 10 s grace window. */
export async function rotate(signed: { sessionId: string; userId: string }, generation: number, now: Date, kid = 't2') {
  const store = await getStore();
  return store.rotateRefresh({ sessionId: signed.sessionId, userId: signed.userId, generation, accessExpiresAt: at(now, 900), kid, graceSeconds: GRACE }, now);
}

export async function context(sessionId: string) {
  return (await getStore()).findSessionForCheck(sessionId);
}

/** A fresh stand-in for an invitation token's hash: the store only compares it. */
export const newTokenHash = (): string => randomBytes(32).toString('hex');

/** Stores an invitation from `actor` to `email`; returns its token hash (throws when refused). */
export async function invite(actor: OrgActor, email: string, role: Role, now: Date, lifetimeSeconds = 7 * DAY): Promise<string> {
  const tokenHash = newTokenHash();
  const sent = await (await getStore()).createInvitation(actor, { email, role, tokenHash, expiresAt: at(now, lifetimeSeconds) }, now);
  if (!sent.ok) throw new Error(`invitation refused in test: ${sent.error}`);
  return tokenHash;
}

/**
 * Joins by consent, as people do: `actor` invites `email`, its owner signs in (to their personal
 * org) and accepts from that session, which moves into the org. Returns the accepting sign-in.
 */
export async function join(actor: OrgActor, email: string, role: Role, now: Date, options: SignInOptions = {}): Promise<SignedIn> {
  const tokenHash = await invite(actor, email, role, now);
  const signed = await signIn(email, now, options);
  const accepted = await (await getStore()).acceptInvitation({ userId: signed.userId, sessionId: signed.sessionId }, tokenHash, now);
  if (!accepted.ok) throw new Error(`could not accept in test: ${accepted.error}`);
  return { ...signed, orgId: accepted.orgId };
}

/** `email` signs up and creates an org of their own besides their personal one, working in it. */
export async function orgOwner(email: string, now: Date, options: SignInOptions = {}) {
  const signed = await signIn(email, now, options);
  const created = await (await getStore()).createOrg({ userId: signed.userId, sessionId: signed.sessionId }, `Org of ${localPart(email)}`, now);
  if (!created.ok) throw new Error(`could not create an org in test: ${created.error}`);
  return { ...signed, personalOrgId: signed.orgId, orgId: created.orgId, orgName: `Org of ${localPart(email)}` };
}

/**
 * An org as admins meet it: its owner (who created it), an admin and a member who each accepted
 * an invitation from a session that is now in it, and the member's second device, which signs in
 * later and lands in the org they used last: this one.
 */
export async function orgWithMembers(now: Date) {
  const emails = { owner: newEmail('owner'), admin: newEmail('admin'), member: newEmail('member') };
  const owner = await orgOwner(emails.owner, now, { device: { label: 'Owner laptop' } });
  const asOwner: OrgActor = { userId: owner.userId, orgId: owner.orgId };
  const admin = await join(asOwner, emails.admin, 'admin', now, { device: { label: 'Admin laptop' } });
  const member = await join(asOwner, emails.member, 'member', now, { device: { label: 'Member laptop' } });
  const memberPhone = await signIn(emails.member, now, { device: { label: 'Member phone', type: 'mobile', fingerprint: 'a'.repeat(64) } });
  if (memberPhone.orgId !== owner.orgId) throw new Error('the member’s second device did not land in the org in test');
  return {
    orgId: owner.orgId,
    orgName: owner.orgName,
    emails,
    owner,
    admin,
    member,
    memberPhone,
    asOwner,
    asAdmin: { userId: admin.userId, orgId: owner.orgId } satisfies OrgActor,
    asMember: { userId: member.userId, orgId: owner.orgId } satisfies OrgActor,
  };
}

/** The user's security events of one type (newest first), from the store's own activity list. */
export async function events(filter: { userId: string } | { orgId: string }, type: string) {
  return (await (await getStore()).listActivity(filter, 200)).filter((row) => row.type === type);
}
