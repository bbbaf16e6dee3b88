// Users and their personal orgs: who signs in on a first code, and the org a new session lands in.
import { and, desc, eq, isNull } from 'drizzle-orm';
import { iso, newEntityId } from '../../ids';
import { personalOrgName } from '../personal-org';
import type { Db } from './connection';
import { memberships, orgs, sessions, users } from './schema';

export type UserWithOrg = { userId: string; orgId: string; created: boolean };

/**
 * The user for `email` and the org a new session lands in: the org they used last (that of their
 * most recently active session, while they still belong to it), else their personal org. An
 * unknown address signs up here: a new user and their personal org. Call it inside the write
 * lock, so two first sign-ins cannot both create the user.
 */
export function findOrCreateUser(db: Db, email: string, now: Date): UserWithOrg {
  const existingId = userIdByEmail(db, email);
  if (existingId === null) {
    const userId = insertUser(db, email, now);
    return { userId, orgId: createPersonalOrg(db, userId, email, now), created: true };
  }
  return { userId: existingId, orgId: lastUsedOrg(db, existingId) ?? personalOrgOf(db, existingId, now), created: false };
}

/** The org of the user's most recently active session, if they are still a member of it. */
function lastUsedOrg(db: Db, userId: string): string | null {
  const row = db
    .select({ orgId: sessions.orgId })
    .from(sessions)
    .innerJoin(memberships, and(eq(memberships.userId, sessions.userId), eq(memberships.orgId, sessions.orgId)))
    .where(eq(sessions.userId, userId))
    .orderBy(desc(sessions.lastSeenAt), desc(sessions.createdAt))
    .get();
  return row?.orgId ?? null;
}

/**
 * The user's personal org, created if they have none (the backfill migration gave every existing
 * person one, so this only guards against a store edited by hand). Call it inside the write lock.
 */
export function personalOrgOf(db: Db, userId: string, now: Date): string {
  const existing = db
    .select({ id: orgs.id })
    .from(orgs)
    .where(and(eq(orgs.personalUserId, userId), isNull(orgs.deletedAt)))
    .get();
  if (existing) return existing.id;
  const email = db.select({ email: users.email }).from(users).where(eq(users.id, userId)).get()?.email ?? '';
  return createPersonalOrg(db, userId, email, now);
}

/** The id of `email`'s user, or null when the address has none. */
export function userIdByEmail(db: Db, email: string): string | null {
  return db.select({ id: users.id }).from(users).where(eq(users.email, email)).get()?.id ?? null;
}

/** Inserts a user row for `email` (already normalised) and returns its new id. */
function insertUser(db: Db, email: string, now: Date): string {
  const userId = newEntityId();
  db.insert(users).values({ id: userId, email, createdAt: iso(now) }).run();
  return userId;
}

function createPersonalOrg(db: Db, userId: string, email: string, now: Date): string {
  const orgId = newEntityId();
  const createdAt = iso(now);
  db.insert(orgs).values({ id: orgId, name: personalOrgName(email), createdAt, personalUserId: userId }).run();
  db.insert(memberships).values({ userId, orgId, role: 'owner', createdAt }).run();
  return orgId;
}
