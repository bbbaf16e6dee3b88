// The store never waits synchronously for SQLite's write lock: proven against a real file and a second thread.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOMY_BUDGET } from '@/test/helpers';
import { openEmail } from '@/test/store/fixtures';
import { BUSY_TIMEOUT_MS, openSqliteStore, StoreBusyError, type SqliteStore } from './index';

const T0 = new Date('2031-10-01T12:00:00.000Z');
const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);
const file = process.env.DATABASE_PATH ?? '';
let store: SqliteStore;

beforeAll(async () => {
  store = await openSqliteStore({ file, mustExist: false });
});
afterAll(() => store.close());

/**
 * A thread with its own connection takes the write lock with an uncommitted insert pending, holds
 * it for `holdMs` and commits. Resolves once the lock is held. `held()` reads a flag the thread
 * clears just before it commits, so the main thread can tell "still held" from "let go" exactly.
 */
async function holdWriteLock(holdMs: number): Promise<{ held: () => boolean; released: Promise<void> }> {
  const flags = new Int32Array(new SharedArrayBuffer(8)); // [0]: 1 while held; [1]: the thread's sleep
  const worker = new Worker(
    `
    const { parentPort, workerData } = require('node:worker_threads');
    const Database = require(workerData.driver);
    const db = new Database(workerData.file);
    db.exec('BEGIN IMMEDIATE');
    db.prepare("INSERT INTO security_events (type, detail, created_at) VALUES ('sign_in', 'lock holder', ?)").run(new Date().toISOString());
    Atomics.store(workerData.flags, 0, 1);
    parentPort.postMessage('locked');
    Atomics.wait(workerData.flags, 1, 0, workerData.holdMs);
    Atomics.store(workerData.flags, 0, 0);
    db.exec('COMMIT');
    db.close();
    parentPort.postMessage('released');
    `,
    { eval: true, workerData: { file, holdMs, flags, driver: createRequire(import.meta.url).resolve('better-sqlite3') } },
  );
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (message) => (message === 'locked' ? resolve() : release()));
    worker.on('error', reject);
  });
  return { held: () => Atomics.load(flags, 0) === 1, released };
}

async function signIn(email: string): Promise<{ sessionId: string; userId: string }> {
  const challengeId = `challenge-${email}`;
  expect(await store.createChallenge({ id: challengeId, email, codeHmac: 'ab', kid: 't1', expiresAt: at(600) }, T0, ROOMY_BUDGET)).toBe('sent');
  const device = { fingerprint: 'f'.repeat(64), label: 'Firefox on Linux', type: 'desktop' as const, persistent: true };
  const input = { challengeId, codeMatches: () => true, device, kid: 't1', accessExpiresAt: at(900), refreshExpiresAt: at(86_400) };
  const signedIn = await store.confirmSignIn(input, T0);
  if (!signedIn) throw new Error('sign-in refused');
  return signedIn;
}

describe('lock: writes wait for the write lock asynchronously', () => {
  it('a write started during another connection\'s hold resolves after it, while reads and timers go on', async () => {
    const session = await signIn('waits@example.test');
    const lock = await holdWriteLock(1500);
    const order: string[] = [];
    const when = (): string => (lock.held() ? 'lock held' : 'lock released');
    const scope = { kind: 'session' as const, userId: session.userId, sessionId: session.sessionId, fromSessionId: null };
    const write = store.revoke(scope, 'sign_out', at(5)).then((result) => {
      order.push(`write (${when()})`);
      return result;
    });
    const timer = new Promise((resolve) => setTimeout(resolve, 10)).then(() => order.push(`timer (${when()})`));
    const read = store.findSessionForCheck(session.sessionId).then((row) => {
      order.push(`read (${when()})`);
      return row;
    });
    const [revoked, , before] = await Promise.all([write, timer, read, lock.released]);
    expect(order).toEqual(['read (lock held)', 'timer (lock held)', 'write (lock released)']);
    expect(before?.revokedAt).toBeNull();
    expect(revoked).toEqual({ ok: true, ended: 1 });
    expect((await store.findSessionForCheck(session.sessionId))?.revokedReason).toBe('sign_out');
  });

  it('a write still locked out after BUSY_TIMEOUT_MS rejects with StoreBusyError and writes nothing', async () => {
    const lock = await holdWriteLock(BUSY_TIMEOUT_MS + 1000);
    const challenge = { id: 'challenge-gives-up', email: 'gives-up@example.test', codeHmac: 'ab', kid: 't1', expiresAt: at(600) };
    const outcome = await store.createChallenge(challenge, T0, ROOMY_BUDGET).then(
      () => 'resolved',
      (error: unknown) => (error instanceof StoreBusyError && error.name === 'StoreBusyError' ? `StoreBusyError (${lock.held() ? 'lock held' : 'lock released'})` : String(error)),
    );
    expect(outcome).toBe('StoreBusyError (lock held)');
    await lock.released;
    expect(await openEmail(challenge.id, T0)).toBeNull();
    // The address's caps were not touched either: the next send goes through.
    expect(await store.createChallenge({ ...challenge, id: 'challenge-after' }, T0, ROOMY_BUDGET)).toBe('sent');
  });

  it('touchLastSeen answers busy at once while the lock is held, and writes once it is free', async () => {
    const session = await signIn('touch@example.test');
    const lock = await holdWriteLock(500);
    const answer = await store.touchLastSeen(session.sessionId, at(600), 300);
    expect([answer, lock.held()]).toEqual(['busy', true]);
    await lock.released;
    expect(await store.touchLastSeen(session.sessionId, at(600), 300)).toBe('written');
    expect(await store.touchLastSeen(session.sessionId, at(700), 300)).toBe('not_due');
    expect((await store.findSessionForCheck(session.sessionId))?.lastSeenAt).toBe(at(600).toISOString());
  });
});
