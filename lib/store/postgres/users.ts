// Users and personal orgs: finding or creating the account an address signs in to.
import { and, desc, eq, isNull } from 'drizzle-orm';
import { iso, newEntityId } from '../../ids';
import { personalOrgName } from '../personal-org';
import { memberships, orgs, sessions, users } from './schema';
import type { Tx } from './tx';

export type UserWithOrg = { userId: string; orgId: string; created: boolean };

/**
 * The user for `email`, inserted when absent. ON CONFLICT makes a concurrent insert of the same
 * address (an admin adding it while it signs up) wait for that transaction and then use its row,
 * rather than fail on the unique index.
 */
async function ensureUser(tx: Tx, email: string, now: Date): Promise<{ userId: string; created: boolean }> {
  const [existing] = await tx.db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (existing) return { userId: existing.id, created: false };
  const [inserted] = await tx.db
    .insert(users)
    .values({ id: newEntityId(), email, createdAt: iso(now) })
    .onConflictDoNothing({ target: users.email })
    .returning({ id: users.id });
  if (inserted) return { userId: inserted.id, created: true };
  const [raced] = await tx.db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (!raced) throw new Error('user insert conflicted but no user has that address');
  return { userId: raced.id, created: false };
}

/**
 * The user for `email` and the org a new session lands in: the org they used last (that of their
 * most recently active session, while they still belong to it), else their personal org. An
 * unknown address signs up here: a new user and their personal org. Call it under lockAddress,
 * so two first sign-ins cannot both create the user.
 */
export async function findOrCreateUser(tx: Tx, email: string, now: Date): Promise<UserWithOrg> {
  const { userId, created } = await ensureUser(tx, email, now);
  if (!created) {
    const [lastUsed] = await tx.db
      .select({ orgId: sessions.orgId })
      .from(sessions)
      .innerJoin(memberships, and(eq(memberships.userId, sessions.userId), eq(memberships.orgId, sessions.orgId)))
      .where(eq(sessions.userId, userId))
      .orderBy(desc(sessions.lastSeenAt), desc(sessions.createdAt))
      .limit(1);
    if (lastUsed) return { userId, orgId: lastUsed.orgId, created };
  }
  return { userId, orgId: await personalOrgOf(tx, userId, now), created };
}

/**
 * The user's personal org, created when they have none (a new user; the backfill migration gave
 * every existing person one). Its unique index on personal_user_id is the race guard: a second
 * creation conflicts, does nothing, and the row the first made is read instead.
 */
export async function personalOrgOf(tx: Tx, userId: string, now: Date): Promise<string> {
  const find = async () =>
    (await tx.db.select({ id: orgs.id }).from(orgs).where(and(eq(orgs.personalUserId, userId), isNull(orgs.deletedAt))))[0]?.id;
  const existing = await find();
  if (existing) return existing;
  const [user] = await tx.db.select({ email: users.email }).from(users).where(eq(users.id, userId));
  const orgId = newEntityId();
  const createdAt = iso(now);
  const [inserted] = await tx.db
    .insert(orgs)
    .values({ id: orgId, name: personalOrgName(user?.email ?? ''), createdAt, personalUserId: userId })
    .onConflictDoNothing()
    .returning({ id: orgs.id });
  if (!inserted) {
    const raced = await find();
    if (!raced) throw new Error('personal org insert conflicted but the user has none');
    return raced;
  }
  await tx.db.insert(memberships).values({ userId, orgId, role: 'owner', createdAt });
  return orgId;
}
