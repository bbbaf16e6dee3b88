// Users and personal orgs: finding or creating the account an address signs in to.
import { asc, eq } from 'drizzle-orm';
import { iso, newEntityId } from '../../ids';
import { bytewise } from './rows';
import { memberships, orgs, users } from './schema';
import type { Tx } from './tx';

export type UserWithOrg = { userId: string; orgId: string; created: boolean };

/**
 * The user for `email`, inserted when absent. ON CONFLICT makes a concurrent insert of the same
 * address (an admin adding it while it signs up) wait for that transaction and then use its row,
 * rather than fail on the unique index.
 */
export async function ensureUser(tx: Tx, email: string, now: Date): Promise<{ userId: string; created: boolean }> {
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
 * The user for `email` and the org a new session binds to (their oldest membership). An unknown
 * address signs up here: a new user, a personal org and an owner membership. A user left with no
 * membership (removed from every org) gets a fresh personal org rather than refusing every code.
 * Call it under lockAddress, so two first sign-ins cannot both create the org.
 */
export async function findOrCreateUser(tx: Tx, email: string, now: Date): Promise<UserWithOrg> {
  const { userId, created } = await ensureUser(tx, email, now);
  if (!created) {
    const [membership] = await tx.db
      .select({ orgId: memberships.orgId })
      .from(memberships)
      .where(eq(memberships.userId, userId))
      .orderBy(asc(memberships.createdAt), asc(bytewise(memberships.orgId)))
      .limit(1);
    if (membership) return { userId, orgId: membership.orgId, created };
  }
  return { userId, orgId: await createPersonalOrg(tx, userId, email, now), created };
}

async function createPersonalOrg(tx: Tx, userId: string, email: string, now: Date): Promise<string> {
  const orgId = newEntityId();
  const createdAt = iso(now);
  await tx.db.insert(orgs).values({ id: orgId, name: personalOrgName(email), createdAt });
  await tx.db.insert(memberships).values({ userId, orgId, role: 'owner', createdAt });
  return orgId;
}

function personalOrgName(email: string): string {
  const local = email.split('@')[0] ?? email;
  return `${local.slice(0, 48)}'s org`;
}
