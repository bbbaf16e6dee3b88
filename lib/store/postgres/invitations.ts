// Invitations as an org's admins handle them: sending one, listing the pending, revoking, expiring.
import { and, asc, desc, eq, gt, gte, lte, sql, type SQL } from 'drizzle-orm';
import { canManage, invitationWindows, isAdminRole, isLapsed, mayGrant, mayInviteFromOrg, mayMailInvitation } from '../../rules';
import { iso, newEntityId } from '../../ids';
import { invitationEvent } from '../events';
import { pendingInvitationColumns } from '../invitations';
import type { InvitationSent, NewInvitation, OrgActor, OrgResult, PendingInvitation } from '../types';
import { asRole } from '../model';
import { lockOrg, shareMemberships } from './access';
import type { Pg } from './connection';
import { closeInvitations, type StoredInvitation } from './invitation-close';
import { asCount, bytewise, recordEvents } from './rows';
import { memberships, orgInvitations as invitations, users } from './schema';
import { inTransaction, type Tx } from './tx';

const pending = eq(invitations.status, 'pending');
/** Expired invitations one transaction of the sweep marks. */
const EXPIRE_BATCH_SIZE = 500;

/** Serialises one key's count-then-insert until the transaction ends (see lockAddress in rows.ts). */
async function advisoryLock(tx: Tx, key: string): Promise<void> {
  await tx.db.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}::text, 0))`);
}

/**
 * Stores an invitation to the actor's org. Lock plan: the org's row FOR SHARE (a deletion waits),
 * the actor's membership FOR SHARE (a demotion or removal waits), then two advisory locks, always
 * in this order: the org's (its hourly count and its one-pending-per-address check) and the
 * address's (its daily emails, across orgs). Concurrent invitations of one org, or to one
 * address, queue there, so neither cap can be overrun; the partial unique index on pending
 * (org, address) is the last guard. Whether the address has an account changes no answer.
 */
export async function createInvitation(pg: Pg, actor: OrgActor, input: NewInvitation, now: Date): Promise<InvitationSent> {
  return inTransaction(pg.pool, async (tx): Promise<InvitationSent> => {
    const org = await lockOrg(tx, actor.orgId, 'share');
    const role = org ? (await shareMemberships(tx, actor.orgId, [actor.userId])).get(actor.userId) : undefined;
    if (!org || !isAdminRole(role)) return { ok: false, error: 'not_found' };
    if (org.personalUserId !== null) return { ok: false, error: 'personal' };
    if (!mayGrant(role, input.role)) return { ok: false, error: 'forbidden' };
    await advisoryLock(tx, `signet:invite-org:${actor.orgId}`);
    await advisoryLock(tx, `signet:invite-address:${input.email}`);
    const ofAddress = and(eq(invitations.orgId, actor.orgId), eq(invitations.email, input.email), pending);
    // A lapsed invitation for this address no longer stands in the way of a new one.
    await expireWhere(tx, and(ofAddress, lte(invitations.expiresAt, iso(now))), now);
    const [member] = await tx.db
      .select({ userId: memberships.userId })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.orgId, actor.orgId), eq(users.email, input.email)));
    if (member) return { ok: false, error: 'already_member' };
    if ((await tx.db.select({ id: invitations.id }).from(invitations).where(ofAddress)).length > 0) return { ok: false, error: 'already_invited' };
    const windows = invitationWindows(now);
    if (!mayInviteFromOrg(await countInvitations(tx, and(eq(invitations.orgId, actor.orgId), gte(invitations.createdAt, windows.org))))) {
      return { ok: false, error: 'invite_limit' };
    }
    const sendMail = mayMailInvitation(await countInvitations(tx, and(eq(invitations.email, input.email), eq(invitations.mailed, true), gte(invitations.createdAt, windows.address))));
    const id = newEntityId();
    const values = { id, orgId: actor.orgId, email: input.email, role: input.role, tokenHash: input.tokenHash, invitedBy: actor.userId };
    await tx.db.insert(invitations).values({ ...values, status: 'pending', mailed: sendMail, createdAt: iso(now), expiresAt: iso(input.expiresAt) });
    const [invitee] = await tx.db.select({ id: users.id }).from(users).where(eq(users.email, input.email));
    const [inviter] = await tx.db.select({ email: users.email }).from(users).where(eq(users.id, actor.userId));
    await recordEvents(tx, [invitationEvent('invitation_sent', values, { inviteeUserId: invitee?.id ?? null, actorUserId: actor.userId })], now);
    return { ok: true, invitationId: id, sendMail, orgName: org.name, inviterEmail: inviter?.email ?? '' };
  });
}

async function countInvitations(tx: Tx, where: SQL | undefined): Promise<number> {
  const [row] = await tx.db.select({ n: sql<number>`count(*)::int` }).from(invitations).where(where);
  return asCount(row?.n);
}

/** The org's pending invitations that have not reached their end, newest first (then by address). */
export async function listInvitations(pg: Pg, orgId: string, now: Date): Promise<PendingInvitation[]> {
  const rows = await pg.db
    .select(pendingInvitationColumns(invitations, users))
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.invitedBy))
    .where(and(eq(invitations.orgId, orgId), pending, gt(invitations.expiresAt, iso(now))))
    .orderBy(desc(invitations.createdAt), asc(bytewise(invitations.email)));
  return rows.flatMap((row) => {
    const role = asRole(row.role);
    return role ? [{ ...row, role }] : [];
  });
}

/**
 * An owner or admin withdraws a pending invitation of their org (admins: not an owner's). Lock
 * plan: the org's row FOR SHARE, the actor's membership FOR SHARE, then the invitation's row FOR
 * UPDATE with `pending` in its WHERE, so an accept that won the row first leaves nothing to revoke.
 */
export async function revokeInvitation(pg: Pg, actor: OrgActor, invitationId: string, now: Date): Promise<OrgResult> {
  return inTransaction(pg.pool, async (tx): Promise<OrgResult> => {
    const org = await lockOrg(tx, actor.orgId, 'share');
    const role = org ? (await shareMemberships(tx, actor.orgId, [actor.userId])).get(actor.userId) : undefined;
    if (!isAdminRole(role)) return { ok: false, error: 'not_found' };
    const [invitation] = await tx.db
      .select()
      .from(invitations)
      .where(and(eq(invitations.id, invitationId), eq(invitations.orgId, actor.orgId), pending))
      .for('update');
    const invitedRole = asRole(invitation?.role ?? null);
    if (!invitation || !invitedRole) return { ok: false, error: 'not_found' };
    if (!canManage(role, invitedRole)) return { ok: false, error: 'forbidden' };
    // One that lapsed meanwhile is recorded as expired; either way it can no longer be used.
    await closeInvitations(tx, [invitation], isLapsed(invitation, now) ? 'expired' : 'revoked', actor.userId, now);
    return { ok: true };
  });
}

/**
 * Marks lapsed pending invitations expired, with their events: one org's (its page does, before
 * listing), or everyone's in batches of short transactions (housekeeping). Lock plan: each
 * batch's rows FOR UPDATE SKIP LOCKED, so an invitation being answered right now is left to that
 * answer, which sees it lapsed itself.
 */
export async function expireInvitations(pg: Pg, scope: { orgId: string } | { all: true }, now: Date): Promise<number> {
  const lapsed = and(pending, lte(invitations.expiresAt, iso(now)));
  const where = 'orgId' in scope ? and(eq(invitations.orgId, scope.orgId), lapsed) : lapsed;
  let total = 0;
  for (;;) {
    const batch = await inTransaction(pg.pool, (tx) => expireWhere(tx, where, now, EXPIRE_BATCH_SIZE));
    total += batch;
    if (batch < EXPIRE_BATCH_SIZE) return total;
  }
}

async function expireWhere(tx: Tx, where: SQL | undefined, now: Date, limit = EXPIRE_BATCH_SIZE): Promise<number> {
  const rows: StoredInvitation[] = await tx.db.select().from(invitations).where(where).limit(limit).for('update', { skipLocked: true });
  await closeInvitations(tx, rows, 'expired', null, now);
  return rows.length;
}
