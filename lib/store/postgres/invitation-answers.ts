// The invited person's side: the invitation a link names, and accepting or declining it.
import { and, eq, isNull } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { isLapsed } from '../../rules';
import { iso } from '../../ids';
import { asRole, invitationStatuses } from '../model';
import { invitationViewColumns } from '../invitations';
import type { InvitationAnswered, InvitationView, SessionActor } from '../types';
import { lockOrg } from './access';
import type { Pg } from './connection';
import { closeInvitations } from './invitation-close';
import { memberships, orgInvitations as invitations, orgs, sessions, users } from './schema';
import { inTransaction } from './tx';

const inviter = alias(users, 'inviter');

/** The invitation whose token hashes to `tokenHash`, as its page shows it; null when none does. */
export async function findInvitation(pg: Pg, tokenHash: string, now: Date): Promise<InvitationView | null> {
  const [row] = await pg.db
    .select(invitationViewColumns(invitations, orgs, inviter))
    .from(invitations)
    .innerJoin(orgs, eq(orgs.id, invitations.orgId))
    .innerJoin(inviter, eq(inviter.id, invitations.invitedBy))
    .where(eq(invitations.tokenHash, tokenHash));
  const role = asRole(row?.role ?? null);
  const status = invitationStatuses.find((known) => known === row?.status);
  if (!row || !role || !status) return null;
  return { ...row, role, status: status === 'pending' && isLapsed(row, now) ? 'expired' : status };
}

/**
 * Accepts (joins with the invited role; this session moves into the org) or declines. Only the
 * person signed in as the invited address may answer, and only while it is pending. Lock plan:
 * read the invitation's org (unlocked: it never changes), lock the org's row FOR SHARE (a deletion
 * waits, or has revoked the invitation already), then the invitation's row FOR UPDATE: two
 * answers at once queue there and the second finds it closed, so nobody joins twice. The
 * membership insert is ON CONFLICT DO NOTHING (someone already a member keeps their role).
 */
export async function answerInvitation(pg: Pg, actor: SessionActor, tokenHash: string, answer: 'accepted' | 'declined', now: Date): Promise<InvitationAnswered> {
  return inTransaction(pg.pool, async (tx): Promise<InvitationAnswered> => {
    const [located] = await tx.db.select({ orgId: invitations.orgId }).from(invitations).where(eq(invitations.tokenHash, tokenHash));
    if (!located) return { ok: false, error: 'not_found' };
    const org = await lockOrg(tx, located.orgId, 'share');
    const [invitation] = await tx.db.select().from(invitations).where(eq(invitations.tokenHash, tokenHash)).for('update');
    const [user] = await tx.db.select({ email: users.email }).from(users).where(eq(users.id, actor.userId));
    const role = asRole(invitation?.role ?? null);
    if (!invitation || !role) return { ok: false, error: 'not_found' };
    // Checked first, so someone else holding the link learns nothing about the invitation's state.
    if (user?.email !== invitation.email) return { ok: false, error: 'wrong_address' };
    if (invitation.status === 'expired') return { ok: false, error: 'expired' };
    if (invitation.status !== 'pending' || !org) return { ok: false, error: 'closed' };
    if (isLapsed(invitation, now)) {
      await closeInvitations(tx, [invitation], 'expired', null, now);
      return { ok: false, error: 'expired' };
    }
    await closeInvitations(tx, [invitation], answer, actor.userId, now);
    if (answer === 'accepted') {
      await tx.db.insert(memberships).values({ userId: actor.userId, orgId: invitation.orgId, role, createdAt: iso(now) }).onConflictDoNothing();
      await tx.db
        .update(sessions)
        .set({ orgId: invitation.orgId })
        .where(and(eq(sessions.id, actor.sessionId), eq(sessions.userId, actor.userId), isNull(sessions.revokedAt)));
    }
    return { ok: true, orgId: invitation.orgId };
  });
}
