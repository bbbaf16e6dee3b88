import { asc, eq } from 'drizzle-orm';
import type { Db } from './db';
import { memberships, orgs, users } from './db/schema';
import { iso, newEntityId } from './ids';

export type UserWithOrg = { userId: string; orgId: string; created: boolean };

/** Lower-cased and trimmed: the one spelling of an address that is stored and compared. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The user for `email` and the org a new session binds to (their oldest membership). An unknown
 * address signs up here: a new user, a personal org and an owner membership. Call it inside a
 * write transaction so two first sign-ins cannot both create the user.
 */
export function findOrCreateUser(db: Db, email: string, now: Date): UserWithOrg {
  const existing = db.select({ id: users.id }).from(users).where(eq(users.email, email)).get();
  if (existing) {
    const membership = db
      .select({ orgId: memberships.orgId })
      .from(memberships)
      .where(eq(memberships.userId, existing.id))
      .orderBy(asc(memberships.createdAt), asc(memberships.orgId))
      .get();
    if (membership) return { userId: existing.id, orgId: membership.orgId, created: false };
    // Removed from every org they belonged to (or added to one that later removed them): the
    // account still works, in a fresh personal org, rather than refusing every code.
    return { userId: existing.id, orgId: createPersonalOrg(db, existing.id, email, now), created: false };
  }
  const userId = newEntityId();
  db.insert(users).values({ id: userId, email, createdAt: iso(now) }).run();
  return { userId, orgId: createPersonalOrg(db, userId, email, now), created: true };
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
