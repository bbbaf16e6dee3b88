// Closing pending invitations (answered, revoked, expired) with the events both sides read.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { iso } from '../../ids';
import { invitationEvent } from '../events';
import { asRole } from '../model';
import { recordEvents } from './rows';
import { orgInvitations as invitations, users } from './schema';
import type { Tx } from './tx';

export type StoredInvitation = typeof invitations.$inferSelect;

const EVENT = {
  accepted: 'invitation_accepted',
  declined: 'invitation_declined',
  revoked: 'invitation_revoked',
  expired: 'invitation_expired',
} as const;

/**
 * Moves `rows` (read FOR UPDATE by the caller) from pending to `status` and records one event per
 * invitation, naming the invited person when their address has an account. An expired one is
 * closed as of its own end, which is when it stopped working.
 */
export async function closeInvitations(tx: Tx, rows: StoredInvitation[], status: keyof typeof EVENT, actorUserId: string | null, now: Date): Promise<void> {
  if (rows.length === 0) return;
  await tx.db
    .update(invitations)
    .set({ status, resolvedAt: status === 'expired' ? sql`${invitations.expiresAt}` : iso(now) })
    .where(and(inArray(invitations.id, rows.map((row) => row.id)), eq(invitations.status, 'pending')));
  const accounts = await tx.db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(inArray(users.email, [...new Set(rows.map((row) => row.email))]));
  const idOf = new Map(accounts.map((account) => [account.email, account.id]));
  const events = rows.flatMap((row) => {
    const role = asRole(row.role);
    if (!role) return [];
    return [invitationEvent(EVENT[status], { ...row, role }, { inviteeUserId: idOf.get(row.email) ?? null, actorUserId })];
  });
  await recordEvents(tx, events, now);
}
