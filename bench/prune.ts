import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Keyring } from '../lib/auth/keys';
import type { Connection } from '../lib/store/sqlite/connection';
import { openSqliteStore, PRUNE_BATCH_SIZE } from '../lib/store/sqlite';
import { addSeconds, iso } from '../lib/ids';
import { fromChecker, type FromChecker, type PhaseStats, type ToChecker } from './lib/checker-protocol';
import { accessTokenFor, BENCH_DIR, freshDatabase, removeDatabase, seedSessionsBulk, seedUsers, type BulkSession } from './lib/seed';
import { nowMicros, round } from './lib/stats';

/**
 * Figure 6: delete 1 000 000 expired sessions with lib's prune (what npm run sessions:prune runs)
 * while a second process keeps running the session check against the same file; report the
 * prune's total time and the longest check it caused.
 */
export type PruneFigure = {
  pruner: string;
  deleted: number;
  seconds: number;
  before: PhaseStats;
  during: PhaseStats;
  liveLeft: number;
  walMegabytes: number;
};

// The operator command's own code (npm run sessions:prune), with its production retention.
const RETENTION_DAYS = 90;
const ENDED_DAYS_AGO = RETENTION_DAYS + 10;
const PRUNER = `the SQLite store's prune, batches of ${PRUNE_BATCH_SIZE}, ${RETENTION_DAYS}-day retention`;

const LIVE_SESSIONS = 1_000;
const LAST_SEEN_INTERVAL_SECONDS = 300; // production's default

export async function runPruneBench(keySpec: string, keyring: Keyring, expiredCount: number): Promise<PruneFigure> {
  const now = new Date();
  const seeding = freshDatabase('prune');
  const users = seedUsers(seeding, 1_000, 'prune', now);
  const seedStart = nowMicros();
  seedSessionsBulk(seeding, { users, count: expiredCount, kid: keyring.current.kid, now, endedDaysAgo: ENDED_DAYS_AGO });
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
  const store = await openSqliteStore({ file: seeding.file, mustExist: true });
  const { connection } = store;
  try {
    const channel = checkerChannel(checker);
    await channel.next('ready');
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // a second of undisturbed checks

    channel.tell({ type: 'mark' });
    const start = nowMicros();
    const counts = await store.prune({ now, retentionDays: RETENTION_DAYS });
    const seconds = (nowMicros() - start) / 1e6;
    await new Promise((resolve) => setTimeout(resolve, 250));
    channel.tell({ type: 'stop' });
    const result = await channel.next('result');
    if (result.type !== 'result') throw new Error('unexpected checker message');
    const left = connection.sqlite.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number };
    const wal = fs.statSync(`${seeding.file}-wal`, { throwIfNoEntry: false })?.size ?? 0;
    return {
      pruner: PRUNER,
      deleted: counts.sessions,
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
