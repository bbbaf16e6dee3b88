// Users and their personal orgs: who signs in on a first code, and the org a new session binds to.
import { asc, eq } from 'drizzle-orm';
import { iso, newEntityId } from '../../ids';
import type { Db } from './connection';
import { memberships, orgs, users } from './schema';

export type UserWithOrg = { userId: string; orgId: string; created: boolean };

/**
 * The user for `email` and the org a new session binds to (their oldest membership). An unknown
 * address signs up here: a new user, a personal org and an owner membership. Call it inside the
 * write lock, so two first sign-ins cannot both create the user.
 */
export function findOrCreateUser(db: Db, email: string, now: Date): UserWithOrg {
  const existingId = userIdByEmail(db, email);
  if (existingId !== null) {
    const membership = db
      .select({ orgId: memberships.orgId })
      .from(memberships)
      .where(eq(memberships.userId, existingId))
      .orderBy(asc(memberships.createdAt), asc(memberships.orgId))
      .get();
    if (membership) return { userId: existingId, orgId: membership.orgId, created: false };
    // Removed from every org they belonged to (or added to one that later removed them): the
    // account still works, in a fresh personal org, rather than refusing every code.
    return { userId: existingId, orgId: createPersonalOrg(db, existingId, email, now), created: false };
  }
  const userId = insertUser(db, email, now);
  return { userId, orgId: createPersonalOrg(db, userId, email, now), created: true };
}

/** The id of `email`'s user, or null when the address has none. */
export function userIdByEmail(db: Db, email: string): string | null {
  return db.select({ id: users.id }).from(users).where(eq(users.email, email)).get()?.id ?? null;
}

/** Inserts a user row for `email` (already normalised) and returns its new id. */
export function insertUser(db: Db, email: string, now: Date): string {
  const userId = newEntityId();
  db.insert(users).values({ id: userId, email, createdAt: iso(now) }).run();
  return userId;
}

function createPersonalOrg(db: Db, userId: string, email: string, now: Date): string {
  const orgId = newEntityId();
  const createdAt = iso(now);
  db.insert(orgs).values({ id: orgId, name: personalOrgName(email), createdAt }).run();
  db.insert(memberships).values({ userId, orgId, role: 'owner', createdAt }).run();
  return orgId;
}

function personalOrgName(email: string): string {
  const local = email.split('@')[0] ?? email;
  return `${local.slice(0, 48)}'s org`;
}
