// Invitations as an org's admins handle them: sending one, listing the pending, revoking, expiring.
import { and, asc, desc, eq, gt, gte, lte, sql, type SQL } from 'drizzle-orm';
import { canManage, invitationWindows, isLapsed, mayGrant, mayInviteFromOrg, mayMailInvitation } from '../../rules';
import { iso, newEntityId } from '../../ids';
import { invitationEvent, type InvitationEventType } from '../events';
import { pendingInvitationColumns } from '../invitations';
import type { InvitationSent, NewInvitation, OrgActor, OrgResult, PendingInvitation } from '../types';
import { adminRole, every, liveOrg, membershipRole } from './access';
import { recordEvents } from './activity';
import type { Connection, Db } from './connection';
import { withWriteLock } from './lock';
import { orgInvitations as invitations, users } from './schema';
import { userIdByEmail } from './users';

/** Expired invitations one transaction of the sweep marks; the lock is let go between batches. */
const EXPIRE_BATCH_SIZE = 200;

const pending = eq(invitations.status, 'pending');

/**
 * Stores an invitation for `input.email` to the actor's org. Whether the address has an account
 * changes nothing in the answer: only an existing membership of this very org (which its admins
 * see anyway) is refused. Throttled per org (refused, with a reason) and per address (stored, but
 * `sendMail: false`). Only owners may invite owners; nobody is invited to a personal org.
 */
export function createInvitation({ sqlite, db }: Connection, actor: OrgActor, input: NewInvitation, now: Date): Promise<InvitationSent> {
  return withWriteLock(sqlite, (): InvitationSent => {
    const role = adminRole(db, actor);
    const org = role ? liveOrg(db, actor.orgId) : null;
    if (!role || !org) return { ok: false, error: 'not_found' };
    if (org.personalUserId !== null) return { ok: false, error: 'personal' };
    if (!mayGrant(role, input.role)) return { ok: false, error: 'forbidden' };
    // A lapsed invitation for this address no longer stands in the way of a new one.
    expireWhere(db, every(eq(invitations.orgId, actor.orgId), eq(invitations.email, input.email), pending, lte(invitations.expiresAt, iso(now))), now);
    const inviteeUserId = userIdByEmail(db, input.email);
    if (inviteeUserId !== null && membershipRole(db, actor.orgId, inviteeUserId)) return { ok: false, error: 'already_member' };
    if (db.select({ id: invitations.id }).from(invitations).where(every(eq(invitations.orgId, actor.orgId), eq(invitations.email, input.email), pending)).get()) {
      return { ok: false, error: 'already_invited' };
    }
    const windows = invitationWindows(now);
    if (!mayInviteFromOrg(countInvitations(db, every(eq(invitations.orgId, actor.orgId), gte(invitations.createdAt, windows.org))))) {
      return { ok: false, error: 'invite_limit' };
    }
    const sendMail = mayMailInvitation(countInvitations(db, every(eq(invitations.email, input.email), eq(invitations.mailed, true), gte(invitations.createdAt, windows.address))));
    const id = newEntityId();
    const values = { id, orgId: actor.orgId, email: input.email, role: input.role, tokenHash: input.tokenHash, invitedBy: actor.userId };
    db.insert(invitations).values({ ...values, status: 'pending', mailed: sendMail, createdAt: iso(now), expiresAt: iso(input.expiresAt) }).run();
    recordEvents(db, [invitationEvent('invitation_sent', values, { inviteeUserId, actorUserId: actor.userId })], now);
    const inviterEmail = db.select({ email: users.email }).from(users).where(eq(users.id, actor.userId)).get()?.email ?? '';
    return { ok: true, invitationId: id, sendMail, orgName: org.name, inviterEmail };
  });
}

function countInvitations(db: Db, where: SQL): number {
  return db.select({ n: sql<number>`count(*)` }).from(invitations).where(where).get()?.n ?? 0;
}

/** The org's pending invitations that have not reached their end, newest first (then by address). */
export function listInvitations(db: Db, orgId: string, now: Date): PendingInvitation[] {
  return db
    .select(pendingInvitationColumns(invitations, users))
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.invitedBy))
    .where(every(eq(invitations.orgId, orgId), pending, gt(invitations.expiresAt, iso(now))))
    .orderBy(desc(invitations.createdAt), asc(invitations.email))
    .all();
}

/**
 * An owner or admin withdraws a pending invitation of their org; admins cannot withdraw an
 * invitation to become an owner (they could not have sent it). One that lapsed meanwhile is
 * recorded as expired, and the answer is the same: it cannot be used either way.
 */
export function revokeInvitation({ sqlite, db }: Connection, actor: OrgActor, invitationId: string, now: Date): Promise<OrgResult> {
  return withWriteLock(sqlite, (): OrgResult => {
    const role = adminRole(db, actor);
    const where = every(eq(invitations.id, invitationId), eq(invitations.orgId, actor.orgId), pending);
    const invitation = role ? db.select().from(invitations).where(where).get() : undefined;
    if (!role || !invitation) return { ok: false, error: 'not_found' };
    if (!canManage(role, invitation.role)) return { ok: false, error: 'forbidden' };
    if (isLapsed(invitation, now)) expireWhere(db, where, now);
    else closeInvitation(db, invitation, 'revoked', actor.userId, now);
    return { ok: true };
  });
}

/** Marks one org's lapsed invitations expired, or everyone's batch by batch (housekeeping). */
export async function expireInvitations({ sqlite, db }: Connection, scope: { orgId: string } | { all: true }, now: Date): Promise<number> {
  const lapsed = every(pending, lte(invitations.expiresAt, iso(now)));
  if ('orgId' in scope) return withWriteLock(sqlite, () => expireWhere(db, every(eq(invitations.orgId, scope.orgId), lapsed), now));
  let total = 0;
  for (;;) {
    const batch = await withWriteLock(sqlite, () => expireWhere(db, lapsed, now, EXPIRE_BATCH_SIZE));
    total += batch;
    if (batch < EXPIRE_BATCH_SIZE) return total;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Marks the pending invitations `where` matches as expired, each with its event. Inside the write lock. */
export function expireWhere(db: Db, where: SQL, now: Date, limit = 1000): number {
  const rows = db.select().from(invitations).where(where).limit(limit).all();
  for (const row of rows) closeInvitation(db, row, 'expired', null, now);
  return rows.length;
}

type Stored = typeof invitations.$inferSelect;
const FINAL = { revoked: 'invitation_revoked', expired: 'invitation_expired', accepted: 'invitation_accepted', declined: 'invitation_declined' } as const;

/** Ends a pending invitation with `status`, and records it for both sides. Inside the write lock. */
export function closeInvitation(db: Db, invitation: Stored, status: keyof typeof FINAL, actorUserId: string | null, now: Date): void {
  db.update(invitations)
    .set({ status, resolvedAt: status === 'expired' ? invitation.expiresAt : iso(now) })
    .where(and(eq(invitations.id, invitation.id), pending))
    .run();
  const type: InvitationEventType = FINAL[status];
  recordEvents(db, [invitationEvent(type, invitation, { inviteeUserId: userIdByEmail(db, invitation.email), actorUserId })], now);
}
