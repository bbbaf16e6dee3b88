import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { IssuedTokens } from '../../lib/auth/cookies';
import { issueTokens } from '../../lib/auth/issue';
import type { Keyring } from '../../lib/auth/keys';
import { signToken } from '../../lib/auth/tokens';
import { addSeconds, iso, randomId } from '../../lib/ids';
import { openDatabase, type Connection } from '../../lib/store/sqlite/connection';
import { findOrCreateUser } from '../../lib/store/sqlite/users';

/** Benchmark databases live under data/ (git-ignored); each run starts them afresh. */
export const BENCH_DIR = path.resolve('data/bench');

export const ACCESS_TTL_SECONDS = 15 * 60;
export const LIFETIME_SECONDS = 30 * 86_400;

/** A new, migrated database file data/bench/<name>.db, removing any earlier one and its WAL. */
export function freshDatabase(name: string): Connection {
  fs.mkdirSync(BENCH_DIR, { recursive: true });
  const file = path.join(BENCH_DIR, `${name}.db`);
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
  return openDatabase(file, { mustExist: false });
}

export function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
}

export type SeededUser = { userId: string; orgId: string; email: string };

/** `count` users, each with a personal org, created through the real sign-up path in one transaction. */
export function seedUsers(connection: Connection, count: number, prefix: string, now: Date): SeededUser[] {
  return connection.db.transaction((tx) => {
    const users: SeededUser[] = [];
    for (let i = 0; i < count; i += 1) {
      const email = `${prefix}.${i}@bench.example`;
      const account = findOrCreateUser(tx, email, now);
      if (!account) throw new Error(`could not seed ${email}`);
      users.push({ userId: account.userId, orgId: account.orgId, email });
    }
    return users;
  });
}

export type BulkSession = { id: string; userId: string };

/**
 * Inserts `count` sessions spread over `users` with one prepared INSERT inside one transaction
 * (a million rows take seconds, not minutes). With `endedDaysAgo` their absolute end lies that
 * many days in the past; otherwise they are live.
 */
export function seedSessionsBulk(
  connection: Connection,
  options: { users: SeededUser[]; count: number; kid: string; now: Date; endedDaysAgo?: number },
): BulkSession[] {
  const { users, count, kid, now } = options;
  const createdAt = options.endedDaysAgo === undefined ? addSeconds(now, -60) : addSeconds(now, -LIFETIME_SECONDS - options.endedDaysAgo * 86_400);
  const end = iso(addSeconds(createdAt, LIFETIME_SECONDS));
  const created = iso(createdAt);
  const accessEnd = iso(addSeconds(createdAt, ACCESS_TTL_SECONDS));
  const insert = connection.sqlite.prepare(
    `INSERT INTO sessions (id, user_id, org_id, kid, device_fingerprint, device_label, access_expires_at,
       refresh_expires_at, created_at, refresh_generation, refresh_rotated_at, last_seen_at, persistent)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, 1)`,
  );
  const fingerprint = 'b'.repeat(64);
  const random = randomBytes(count * 18);
  // 144 random bits each, the shape randomId() gives a real session; inserted in key order so the
  // primary-key index grows at its end instead of splitting pages all over the file.
  const ids = new Array<string>(count);
  for (let i = 0; i < count; i += 1) ids[i] = random.subarray(i * 18, i * 18 + 18).toString('base64url');
  ids.sort();
  const seeded: BulkSession[] = new Array<BulkSession>(count);
  // Seeding only: a big page cache keeps the other indexes' pages in memory until the commit, and
  // the rows' users and orgs are known to exist, so the per-row foreign-key probes are skipped.
  const previousCache = connection.sqlite.pragma('cache_size', { simple: true }) as number;
  connection.sqlite.pragma('cache_size = -262144');
  connection.sqlite.pragma('foreign_keys = OFF');
  connection.sqlite.transaction(() => {
    for (let i = 0; i < count; i += 1) {
      const user = users[i % users.length] as SeededUser;
      const id = ids[i] as string;
      insert.run(id, user.userId, user.orgId, kid, fingerprint, 'Firefox on Linux', accessEnd, end, created, created, created);
      seeded[i] = { id, userId: user.userId };
    }
  })();
  connection.sqlite.pragma('foreign_keys = ON');
  connection.sqlite.pragma(`cache_size = ${previousCache}`);
  return seeded;
}

/** An access token for a seeded session issued at `now`, valid for 15 minutes from then. */
export function accessTokenFor(keyring: Keyring, session: BulkSession, now: Date): Promise<string> {
  return signToken(keyring, 'access', { sessionId: session.id, userId: session.userId, issuedAt: now, expiresAt: addSeconds(now, ACCESS_TTL_SECONDS) });
}

/** A session row as a sign-in leaves it, with its first token pair. */
export async function signedInSession(connection: Connection, keyring: Keyring, user: SeededUser, label: string, now: Date): Promise<{ sessionId: string; tokens: IssuedTokens }> {
  const sessionId = randomId();
  const refreshExpiresAt = addSeconds(now, LIFETIME_SECONDS);
  connection.sqlite
    .prepare(
      `INSERT INTO sessions (id, user_id, org_id, kid, device_fingerprint, device_label, device_type, access_expires_at,
         refresh_expires_at, created_at, refresh_generation, refresh_rotated_at, last_seen_at, persistent)
       VALUES (?, ?, ?, ?, ?, ?, 'desktop', ?, ?, ?, 0, ?, ?, 1)`,
    )
    .run(sessionId, user.userId, user.orgId, keyring.current.kid, 'c'.repeat(64), label, iso(addSeconds(now, ACCESS_TTL_SECONDS)), iso(refreshExpiresAt), iso(now), iso(now), iso(now));
  const subject = { sessionId, userId: user.userId, generation: 0, refreshExpiresAt, persistent: true };
  return { sessionId, tokens: await issueTokens(keyring, subject, ACCESS_TTL_SECONDS, now) };
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
