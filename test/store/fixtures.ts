import { randomBytes } from 'node:crypto';
import { randomId } from '@/lib/ids';
import { getStore, type ConfirmSignIn, type NewDevice, type OrgActor, type SignedIn, type StoredChallenge } from '@/lib/store';

/**
 * Fixtures for the conformance suite, built only from Store methods so they hold on both engines.
 * Every method takes its clock, so tests pass fixed instants (`at(T0, seconds)`).
 */

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
  const sent = await (await getStore()).createChallenge({ id, email, codeHmac, kid: 't2', expiresAt: at(now, 600) }, now);
  if (!sent) throw new Error(`send cap reached in test for ${email}`);
  return id;
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

/**
 * An org as admins meet it: its owner (whose sign-up created it), an admin and a member the owner
 * added before their first sign-in (so their sessions bind to this org), the member on two devices.
 */
export async function orgWithMembers(now: Date) {
  const store = await getStore();
  const emails = { owner: newEmail('owner'), admin: newEmail('admin'), member: newEmail('member') };
  const owner = await signIn(emails.owner, now, { device: { label: 'Owner laptop' } });
  const asOwner: OrgActor = { userId: owner.userId, orgId: owner.orgId };
  for (const role of ['admin', 'member'] as const) {
    const added = await store.addMember(asOwner, { email: emails[role], role }, now);
    if (!added.ok) throw new Error(`could not add the ${role} in test: ${added.error}`);
  }
  const admin = await signIn(emails.admin, now, { device: { label: 'Admin laptop' } });
  const member = await signIn(emails.member, now, { device: { label: 'Member laptop' } });
  const memberPhone = await signIn(emails.member, now, { device: { label: 'Member phone', type: 'mobile', fingerprint: 'a'.repeat(64) } });
  return {
    orgId: owner.orgId,
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
