import type Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { uniqueEmail } from '../support/flows';
import { claimsOf, confirmCode, requestCode, send, signInOverHttp, type Answer } from './support/http';
import { dedicatedServer, SECURITY_PORTS } from './support/server';

/**
 * R1, R2, R4 and R6 against `next start`, with a second connection to the server's database file
 * standing for another process: it holds the write lock, hides a table, or makes inserts fail.
 */
const server = dedicatedServer('faults', { port: SECURITY_PORTS.faults });

/** A row the test knows exists (a count, a session it created). */
function query<T>(sql: string, ...params: unknown[]): T {
  const row = server().queryRow<T>(sql, ...params);
  if (row === undefined) throw new Error(`no row for ${sql}`);
  return row;
}

const sessionState = (jti: string) =>
  query<{ gen: number; revoked: string | null }>('SELECT refresh_generation AS gen, revoked_at AS revoked FROM sessions WHERE id = ?', jti);
const challengeState = (email: string) =>
  query<{ attempts: number; consumed: string | null }>('SELECT attempts, consumed_at AS consumed FROM sign_in_challenges WHERE email = ?', email);

/** The write lock, taken by another connection with a write pending, held until `release`. */
function holdWriteLock(): { release: () => void } {
  const db: Database.Database = server().openDatabase();
  db.exec('BEGIN IMMEDIATE');
  db.prepare("INSERT INTO security_events (type, detail, created_at) VALUES ('sign_in', 'held by the fault test', ?)").run(new Date().toISOString());
  return {
    release: () => {
      db.exec('ROLLBACK');
      db.close();
    },
  };
}

async function signedIn() {
  const email = uniqueEmail('fault');
  const jar = await signInOverHttp(server().url, email);
  return { email, jar, access: jar.get('signet_at') ?? '', refresh: jar.get('signet_rt') ?? '', jti: claimsOf(jar.get('signet_at')).jti };
}

const refreshWith = (refresh: string) => send(server().url, '/refresh', { method: 'POST', cookies: `signet_rt=${refresh}`, sameOrigin: true });
const proxied = (refresh: string) => send(server().url, '/', { cookies: `signet_rt=${refresh}` });
const page = (access: string) => send(server().url, '/', { cookies: `signet_at=${access}` });
const signOut = (cookies: string) => send(server().url, '/sign-out', { method: 'POST', cookies, sameOrigin: true });

/** Denied, retryable, and not a sign-out: no cookie is set or cleared. */
function expectUnavailable(answer: Answer): void {
  expect(answer.status).toBe(503);
  expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(answer.cookies).toEqual([]);
  expect(answer.text).not.toMatch(/SqliteError|no such table|readonly|locked|\bat \w/);
}

test.describe('R1 writers wait for each other', () => {
  test('R1: while another connection holds the write lock for 2 s, refresh, sign-out, code sending and sign-in are all served', async () => {
    const a = await signedIn();
    const b = await signedIn();
    const pending = uniqueEmail('fault-pending');
    const code = await requestCode(server().url, pending);
    const newcomer = uniqueEmail('fault-newcomer');

    const lock = holdWriteLock();
    const released = new Promise<void>((resolve) => setTimeout(() => resolve(lock.release()), 2000));
    const [refreshed, signedOut, sent, confirmed] = await Promise.all([
      refreshWith(a.refresh),
      signOut(b.jar.header()),
      send(server().url, '/sign-in/send', { form: { email: newcomer }, sameOrigin: true }),
      confirmCode(server().url, code.jar, code.code),
    ]);
    await released;

    expect(refreshed.status).toBe(204);
    expect(sessionState(a.jti)).toEqual({ gen: 1, revoked: null });
    expect(signedOut.status).toBe(303);
    expect(sessionState(b.jti).revoked).not.toBeNull();
    expect(sent.status).toBe(202);
    expect(confirmed.status).toBe(303);
    expect(challengeState(pending).consumed).not.toBeNull();
  });
});

test.describe('R6 a request waiting for the write lock never stalls the others', () => {
  test('R6: while another process holds the write lock for 3 s, /api/health and a signed-in page answer before it is released, and the waiting refresh completes after', async () => {
    const a = await signedIn();
    const b = await signedIn();
    const order: string[] = [];
    const lock = holdWriteLock();
    const released = new Promise<void>((resolve) =>
      setTimeout(() => {
        order.push('lock released');
        lock.release();
        resolve();
      }, 3000),
    );
    const waiting = refreshWith(b.refresh).then((answer) => {
      order.push('refresh answered');
      return answer;
    });
    // Give the refresh time to reach the server and start waiting for the lock (not an assertion).
    await new Promise((resolve) => setTimeout(resolve, 300));
    const health = await send(server().url, '/api/health');
    order.push('health answered');
    const home = await page(a.access);
    order.push('page answered');
    await released;
    const refreshed = await waiting;

    expect(order).toEqual(['health answered', 'page answered', 'lock released', 'refresh answered']);
    expect(health.status).toBe(200);
    expect(home.status).toBe(200);
    expect(home.text).toContain(a.email);
    expect(refreshed.status).toBe(204);
    expect(sessionState(b.jti)).toEqual({ gen: 1, revoked: null });
  });
});

test.describe('R2 store failures fail closed and keep the cookies', () => {
  test('R2: a write lock held past the busy timeout → 503 with Retry-After, nothing changed, and the same tokens and code work afterwards', async () => {
    test.setTimeout(120_000);
    const a = await signedIn();
    const b = await signedIn();
    const pending = uniqueEmail('fault-locked-out');
    const code = await requestCode(server().url, pending);

    // Held until every answer is in, so each request meets the whole busy timeout (5 s).
    const lock = holdWriteLock();
    try {
      expectUnavailable(await refreshWith(a.refresh));
      expectUnavailable(await proxied(a.refresh));
      const failedSignOut = await signOut(b.jar.header());
      expect(failedSignOut.status).toBe(503);
      expect(failedSignOut.cookies).toEqual([]);
      expect(JSON.parse(failedSignOut.text)).toMatchObject({ ok: false, error: 'sign_out_failed' });
      expectUnavailable(await confirmCode(server().url, code.jar.copy(), code.code));
      // Reads do not need the lock (WAL): a signed-in page still renders.
      const home = await page(a.access);
      expect(home.status).toBe(200);
      expect(home.text).toContain(a.email);
    } finally {
      lock.release();
    }

    expect(sessionState(a.jti)).toEqual({ gen: 0, revoked: null });
    expect(sessionState(b.jti)).toEqual({ gen: 0, revoked: null });
    expect(challengeState(pending)).toEqual({ attempts: 0, consumed: null });

    expect((await refreshWith(a.refresh)).status).toBe(204);
    expect((await signOut(b.jar.header())).status).toBe(303);
    expect((await confirmCode(server().url, code.jar, code.code)).status).toBe(303);
  });

  test('R2: when the session lookup throws, routes and the proxy answer 503, pages fail closed, and no cookie is touched', async () => {
    const a = await signedIn();
    const other = server().openDatabase();
    other.exec('ALTER TABLE sessions RENAME TO sessions_hidden');
    try {
      expectUnavailable(await refreshWith(a.refresh));
      expectUnavailable(await proxied(a.refresh));
      const failedSignOut = await signOut(a.jar.header());
      expect(failedSignOut.status).toBe(503);
      expect(failedSignOut.cookies).toEqual([]);
      // A page cannot choose its status in Next.js; it fails closed with the app's error page.
      const home = await page(a.access);
      expect(home.status).toBeGreaterThanOrEqual(500);
      expect(home.cookies).toEqual([]);
      expect(home.text).not.toContain(a.email);
      expect(home.text).not.toMatch(/SqliteError|no such table/);
    } finally {
      other.exec('ALTER TABLE sessions_hidden RENAME TO sessions');
      other.close();
    }
    expect((await page(a.access)).status).toBe(200);
    expect(sessionState(a.jti)).toEqual({ gen: 0, revoked: null });
    expect((await refreshWith(a.refresh)).status).toBe(204);
  });
});

test.describe('R4 sign-in is one transaction', () => {
  test('R4: when the session insert fails at /verify, nothing is half done and the same code works afterwards', async () => {
    const email = uniqueEmail('fault-insert');
    const { jar, code } = await requestCode(server().url, email);
    const other = server().openDatabase();
    other.exec("CREATE TRIGGER sessions_insert_fails BEFORE INSERT ON sessions BEGIN SELECT RAISE(ABORT, 'session insert failed'); END");
    try {
      const failed = await confirmCode(server().url, jar.copy(), code);
      expectUnavailable(failed);
      expect(challengeState(email)).toEqual({ attempts: 0, consumed: null });
      expect(query<{ n: number }>('SELECT count(*) AS n FROM users WHERE email = ?', email).n).toBe(0);
    } finally {
      other.exec('DROP TRIGGER sessions_insert_fails');
      other.close();
    }
    const confirmed = await confirmCode(server().url, jar, code);
    expect(confirmed.status).toBe(303);
    expect(jar.get('signet_at')).toBeTruthy();
  });
});
