import { randomBytes } from 'node:crypto';
import type { IssuedTokens } from '../../lib/auth/issue';
import { issueTokens } from '../../lib/auth/issue';
import type { Keyring } from '../../lib/crypto/keys';
import { signToken } from '../../lib/crypto/tokens';
import { addSeconds, iso, newEntityId, randomId } from '../../lib/ids';
import type { BenchDb } from './engine';

/** Production's defaults, which every benchmark server runs with unless a figure says otherwise. */
export const ACCESS_TTL_SECONDS = 15 * 60;
export const LIFETIME_SECONDS = 30 * 86_400;
export const LAST_SEEN_INTERVAL_SECONDS = 300;

export type SeededUser = { userId: string; orgId: string; email: string };

/** `count` users, each with a personal org they own, as a first sign-in leaves them (bulk rows). */
export async function seedUsers(db: BenchDb, count: number, prefix: string, now: Date): Promise<SeededUser[]> {
  const users = Array.from({ length: count }, (_, i) => ({ userId: newEntityId(), orgId: newEntityId(), email: `${prefix}.${i}@bench.example` }));
  const created = iso(now);
  const at = (i: number) => users[i] as SeededUser;
  await db.insertMany('users', ['id', 'email', 'created_at'], count, (i) => [at(i).userId, at(i).email, created]);
  await db.insertMany('orgs', ['id', 'name', 'created_at'], count, (i) => [at(i).orgId, `${prefix}.${i}'s org`, created]);
  await db.insertMany('memberships', ['user_id', 'org_id', 'role', 'created_at'], count, (i) => [at(i).userId, at(i).orgId, 'owner', created]);
  return users;
}

export type BulkSession = { id: string; userId: string };

const SESSION_COLUMNS = [
  'id', 'user_id', 'org_id', 'kid', 'device_fingerprint', 'device_label', 'device_type', 'access_expires_at',
  'refresh_expires_at', 'created_at', 'refresh_generation', 'refresh_rotated_at', 'last_seen_at', 'persistent',
] as const;

/**
 * Inserts `count` sessions spread over `users`, in key order (so the primary-key index grows at its
 * end). With `endedDaysAgo` their absolute end lies that many days in the past; otherwise they are
 * live, signed in a minute ago. `lastSeenAt(i)` sets session i's last-seen time.
 */
export async function seedSessions(
  db: BenchDb,
  options: { users: SeededUser[]; count: number; kid: string; now: Date; endedDaysAgo?: number; label?: string; lastSeenAt?: (i: number) => string },
): Promise<BulkSession[]> {
  const { users, count, kid, now } = options;
  const createdAt = options.endedDaysAgo === undefined ? addSeconds(now, -60) : addSeconds(now, -LIFETIME_SECONDS - options.endedDaysAgo * 86_400);
  const created = iso(createdAt);
  const end = iso(addSeconds(createdAt, LIFETIME_SECONDS));
  const accessEnd = iso(addSeconds(createdAt, ACCESS_TTL_SECONDS));
  // 144 random bits each, the shape randomId() gives a real session.
  const random = randomBytes(count * 18);
  const ids = Array.from({ length: count }, (_, i) => random.subarray(i * 18, i * 18 + 18).toString('base64url')).sort();
  const sessions = ids.map((id, i): BulkSession => ({ id, userId: (users[i % users.length] as SeededUser).userId }));
  const label = options.label ?? 'Firefox on Linux';
  const fingerprint = 'b'.repeat(64);
  await db.insertMany('sessions', SESSION_COLUMNS, count, (i) => {
    const user = users[i % users.length] as SeededUser;
    const lastSeen = options.lastSeenAt?.(i) ?? created;
    return [ids[i], user.userId, user.orgId, kid, fingerprint, label, 'desktop', accessEnd, end, created, 0, created, lastSeen, true];
  });
  return sessions;
}

/** An access token for a seeded session issued at `issuedAt`, valid for 15 minutes from then. */
export function accessTokenFor(keyring: Keyring, session: BulkSession, issuedAt: Date): Promise<string> {
  return signToken(keyring, 'access', { sessionId: session.id, userId: session.userId, issuedAt, expiresAt: addSeconds(issuedAt, ACCESS_TTL_SECONDS) });
}

/** Session rows as sign-ins leave them (inserted together), each with its first token pair. */
export async function signedInSessions(
  db: BenchDb,
  keyring: Keyring,
  devices: ReadonlyArray<{ user: SeededUser; label: string }>,
  now: Date,
): Promise<Array<{ sessionId: string; tokens: IssuedTokens }>> {
  const refreshExpiresAt = addSeconds(now, LIFETIME_SECONDS);
  const ids = devices.map(() => randomId());
  await db.insertMany('sessions', SESSION_COLUMNS, devices.length, (i) => {
    const { user, label } = devices[i] as { user: SeededUser; label: string };
    return [ids[i], user.userId, user.orgId, keyring.current.kid, 'c'.repeat(64), label, 'desktop', iso(addSeconds(now, ACCESS_TTL_SECONDS)), iso(refreshExpiresAt), iso(now), 0, iso(now), iso(now), true];
  });
  return Promise.all(
    devices.map(async ({ user }, i) => {
      const sessionId = ids[i] as string;
      const subject = { sessionId, userId: user.userId, generation: 0, refreshExpiresAt, persistent: true };
      return { sessionId, tokens: await issueTokens(keyring, subject, ACCESS_TTL_SECONDS, now) };
    }),
  );
}

/** Picks `count` distinct items at random (a partial Fisher–Yates shuffle of a copy). */
export function sample<T>(items: readonly T[], count: number): T[] {
  const copy = [...items];
  const n = Math.min(count, copy.length);
  for (let i = 0; i < n; i += 1) {
    const j = i + Math.floor(Math.random() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy.slice(0, n);
}
