import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Keyring } from '../lib/auth/keys';
import { openDatabase, type Connection } from '../lib/db';
import { addSeconds, iso } from '../lib/ids';
import { fromChecker, type FromChecker, type PhaseStats, type ToChecker } from './lib/checker-protocol';
import { accessTokenFor, BENCH_DIR, freshDatabase, removeDatabase, seedSessionsBulk, seedUsers, type BulkSession } from './lib/seed';
import { nowMicros, round } from './lib/stats';

/**
 * Figure 6: delete 1 000 000 expired sessions while a second process keeps running the session
 * check against the same file; report the prune's total time and the longest check it caused.
 */
export type PruneFigure = {
  pruner: string;
  deleted: number;
  batches: number;
  seconds: number;
  before: PhaseStats;
  during: PhaseStats;
  liveLeft: number;
  walMegabytes: number;
};

type PruneOutcome = { deleted: number; batches: number };
type Pruner = { name: string; run: (connection: Connection, now: Date) => Promise<PruneOutcome> };

const BATCH_ROWS = 200;
const PAUSE_MS = 2;

/**
 * The benchmark's own minimal prune, used while lib/ has none (issue 4). To measure lib's prune
 * instead, set PRUNER below to a Pruner that calls it; nothing else in the figure changes.
 *
 * Batches, each its own immediate transaction, so the write lock is held for milliseconds at a
 * time; a pause; then a checkpoint of its own. SQLite's automatic checkpoint runs right after each
 * commit, while readers that began before it still pin older frames: under a steady stream of
 * session checks it never completes, the WAL never starts over and grew to 1.2 GB for 1M rows,
 * slowing every read. After the pause the readers are on the newest snapshot, the checkpoint
 * completes, and the next batch starts the WAL from the beginning again.
 */
const batchedDelete: Pruner = {
  name: `bench batched DELETE, ${BATCH_ROWS} rows per transaction, ${PAUSE_MS} ms pause, own checkpoints`,
  async run(connection, now) {
    const cutoff = iso(now);
    // Each walks an index (the partial ones on live and on revoked rows), never the whole table.
    const live = connection.sqlite.prepare(
      'DELETE FROM sessions WHERE rowid IN (SELECT rowid FROM sessions WHERE revoked_at IS NULL AND refresh_expires_at < ? LIMIT ?)',
    );
    const revoked = connection.sqlite.prepare(
      'DELETE FROM sessions WHERE rowid IN (SELECT rowid FROM sessions WHERE revoked_at IS NOT NULL AND revoked_at < ? AND refresh_expires_at < ? LIMIT ?)',
    );
    const autoCheckpoint = connection.sqlite.pragma('wal_autocheckpoint', { simple: true });
    connection.sqlite.pragma('wal_autocheckpoint = 0');
    let deleted = 0;
    let batches = 0;
    try {
      for (const [statement, args] of [
        [live, [cutoff, BATCH_ROWS]],
        [revoked, [cutoff, cutoff, BATCH_ROWS]],
      ] as const) {
        for (;;) {
          const changes = connection.sqlite.transaction(() => statement.run(...args).changes).immediate();
          deleted += changes;
          batches += 1;
          await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
          connection.sqlite.pragma('wal_checkpoint(PASSIVE)');
          if (changes < BATCH_ROWS) break;
        }
      }
    } finally {
      connection.sqlite.pragma(`wal_autocheckpoint = ${String(autoCheckpoint)}`);
    }
    return { deleted, batches };
  },
};

const PRUNER: Pruner = batchedDelete;

const LIVE_SESSIONS = 1_000;
const LAST_SEEN_INTERVAL_SECONDS = 300; // production's default

export async function runPruneBench(keySpec: string, keyring: Keyring, expiredCount: number): Promise<PruneFigure> {
  const now = new Date();
  const seeding = freshDatabase('prune');
  const users = seedUsers(seeding, 1_000, 'prune', now);
  const seedStart = nowMicros();
  seedSessionsBulk(seeding, { users, count: expiredCount, kid: keyring.current.kid, now, expired: true });
  const live = seedSessionsBulk(seeding, { users, count: LIVE_SESSIONS, kid: keyring.current.kid, now });
  spreadLastSeen(seeding, live, now);
  seeding.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  seeding.sqlite.close();
  console.log(`  seeded ${expiredCount} expired and ${LIVE_SESSIONS} live sessions in ${round((nowMicros() - seedStart) / 1e6, 1)} s`);

  const tokensFile = path.join(BENCH_DIR, 'prune-tokens.json');
  const tokens: string[] = [];
  for (const session of live) tokens.push(await accessTokenFor(keyring, session, now));
  fs.writeFileSync(tokensFile, JSON.stringify(tokens));

  const checker = fork(path.join(__dirname, 'prune-checker.ts'), [seeding.file, tokensFile, String(LAST_SEEN_INTERVAL_SECONDS)], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_SIGNET_KEYS: keySpec },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const connection = openDatabase(seeding.file, { mustExist: true });
  try {
    const channel = checkerChannel(checker);
    await channel.next('ready');
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // a second of undisturbed checks

    channel.tell({ type: 'mark' });
    const start = nowMicros();
    const outcome = await PRUNER.run(connection, addSeconds(now, 1));
    const seconds = (nowMicros() - start) / 1e6;
    await new Promise((resolve) => setTimeout(resolve, 250));
    channel.tell({ type: 'stop' });
    const result = await channel.next('result');
    if (result.type !== 'result') throw new Error('unexpected checker message');
    const left = connection.sqlite.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number };
    const wal = fs.statSync(`${seeding.file}-wal`, { throwIfNoEntry: false })?.size ?? 0;
    return {
      pruner: PRUNER.name,
      deleted: outcome.deleted,
      batches: outcome.batches,
      seconds: round(seconds),
      before: result.before,
      during: result.during,
      liveLeft: left.n,
      walMegabytes: round(wal / 1024 / 1024, 1),
    };
  } finally {
    // However the figure ends, the checker must not outlive it.
    if (checker.exitCode === null) checker.kill('SIGTERM');
    connection.sqlite.close();
    removeDatabase(seeding.file);
    fs.rmSync(tokensFile, { force: true });
  }
}

/**
 * Live devices were last seen at random moments of the past five minutes, so their last-seen
 * writes come due one by one during the run, at the rate production would make them.
 */
function spreadLastSeen(connection: Connection, sessions: BulkSession[], now: Date): void {
  const update = connection.sqlite.prepare('UPDATE sessions SET last_seen_at = ? WHERE id = ?');
  connection.sqlite.transaction(() => {
    for (const session of sessions) update.run(iso(addSeconds(now, -Math.random() * LAST_SEEN_INTERVAL_SECONDS)), session.id);
  })();
}

type Channel = { next: (type: FromChecker['type']) => Promise<FromChecker>; tell: (message: ToChecker) => void };

/** Validated messages from the checker, awaited by type; fails if the checker exits first. */
function checkerChannel(checker: ChildProcess): Channel {
  const messages: FromChecker[] = [];
  const waiters: Array<() => void> = [];
  checker.on('message', (raw: unknown) => {
    const message = fromChecker.safeParse(raw);
    if (!message.success) return;
    messages.push(message.data);
    for (const wake of waiters.splice(0)) wake();
  });
  const exited = new Promise<number | null>((resolve) => checker.on('exit', resolve));
  return {
    tell: (message) => checker.send(message),
    async next(type) {
      for (;;) {
        const found = messages.find((message) => message.type === type);
        if (found) return found;
        const woke = new Promise<void>((resolve) => waiters.push(resolve));
        const died = exited.then((code): never => {
          throw new Error(`the checker process exited (code ${code}) before sending "${type}"`);
        });
        await Promise.race([woke, died]);
      }
    },
  };
}
