// The invited person's side: the invitation a link names, and accepting or declining it.
import { alias } from 'drizzle-orm/sqlite-core';
import { eq, isNull } from 'drizzle-orm';
import { isLapsed } from '../../rules';
import { iso } from '../../ids';
import { invitationViewColumns } from '../invitations';
import type { InvitationAnswered, InvitationView, SessionActor } from '../types';
import { every, liveOrg } from './access';
import type { Connection, Db } from './connection';
import { closeInvitation, expireWhere } from './invitations';
import { withWriteLock } from './lock';
import { memberships, orgInvitations as invitations, orgs, sessions, users } from './schema';

const inviter = alias(users, 'inviter');

/** The invitation whose token hashes to `tokenHash`, as its page shows it; null when none does. */
export function findInvitation(db: Db, tokenHash: string, now: Date): InvitationView | null {
  const row = db
    .select(invitationViewColumns(invitations, orgs, inviter))
    .from(invitations)
    .innerJoin(orgs, eq(orgs.id, invitations.orgId))
    .innerJoin(inviter, eq(inviter.id, invitations.invitedBy))
    .where(eq(invitations.tokenHash, tokenHash))
    .get();
  if (!row) return null;
  return row.status === 'pending' && isLapsed(row, now) ? { ...row, status: 'expired' } : row;
}

type Answer = 'accepted' | 'declined';

/**
 * Accepts (joins the org with the invited role, and moves this session into it) or declines. Only
 * the person signed in as the invited address may answer, and only while the invitation is
 * pending: the first answer closes it, so a second accept finds it closed and nobody joins twice.
 */
export function answerInvitation({ sqlite, db }: Connection, actor: SessionActor, tokenHash: string, answer: Answer, now: Date): Promise<InvitationAnswered> {
  return withWriteLock(sqlite, (): InvitationAnswered => {
    const invitation = db.select().from(invitations).where(eq(invitations.tokenHash, tokenHash)).get();
    if (!invitation) return { ok: false, error: 'not_found' };
    const email = db.select({ email: users.email }).from(users).where(eq(users.id, actor.userId)).get()?.email;
    // Checked first, so someone else holding the link learns nothing about the invitation's state.
    if (email !== invitation.email) return { ok: false, error: 'wrong_address' };
    if (invitation.status === 'expired') return { ok: false, error: 'expired' };
    if (invitation.status !== 'pending' || !liveOrg(db, invitation.orgId)) return { ok: false, error: 'closed' };
    if (isLapsed(invitation, now)) {
      expireWhere(db, eq(invitations.id, invitation.id), now);
      return { ok: false, error: 'expired' };
    }
    closeInvitation(db, invitation, answer, actor.userId, now);
    if (answer === 'accepted') {
      // Already a member (another invitation accepted first): they keep the role they have.
      db.insert(memberships).values({ userId: actor.userId, orgId: invitation.orgId, role: invitation.role, createdAt: iso(now) }).onConflictDoNothing().run();
      db.update(sessions)
        .set({ orgId: invitation.orgId })
        .where(every(eq(sessions.id, actor.sessionId), eq(sessions.userId, actor.userId), isNull(sessions.revokedAt)))
        .run();
    }
    return { ok: true, orgId: invitation.orgId };
  });
}
