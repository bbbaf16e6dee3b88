import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Keyring } from '../lib/crypto/keys';
import { addSeconds, iso } from '../lib/ids';
import { PRUNE_BATCH_SIZE as PG_BATCH } from '../lib/store/postgres/prune';
import { PRUNE_BATCH_SIZE as SQLITE_BATCH } from '../lib/store/sqlite';
import { fromChecker, type FromChecker, type PhaseStats, type ToChecker } from './lib/checker-protocol';
import type { Engine } from './lib/engine';
import { accessTokenFor, LAST_SEEN_INTERVAL_SECONDS, seedSessions, seedUsers } from './lib/seed';
import { BENCH_DIR } from './lib/server';
import { nowMicros, round } from './lib/stats';

/**
 * Figure 6: delete 1 000 000 expired sessions with the store's prune (what npm run sessions:prune
 * runs) while a second process keeps running the session check against the same database; report
 * the prune's total time and the longest check it caused.
 */
export type PruneFigure = {
  pruner: string;
  deleted: number;
  seconds: number;
  before: PhaseStats;
  during: PhaseStats;
  liveLeft: number;
  /** SQLite only: the WAL file's size after the prune. */
  walMegabytes?: number;
};

// The operator command's own code (npm run sessions:prune), with its production retention.
const RETENTION_DAYS = 90;
const ENDED_DAYS_AGO = RETENTION_DAYS + 10;
const LIVE_SESSIONS = 1_000;

export async function runPruneBench(engine: Engine, keySpec: string, keyring: Keyring, expiredCount: number): Promise<PruneFigure> {
  const now = new Date();
  const db = await engine.fresh('prune');
  const users = await seedUsers(db, 1_000, 'prune', now);
  const seedStart = nowMicros();
  await seedSessions(db, { users, count: expiredCount, kid: keyring.current.kid, now, endedDaysAgo: ENDED_DAYS_AGO });
  // Live devices were last seen at random moments of the past five minutes, so their last-seen
  // writes come due one by one during the run, at the rate production would make them.
  const lastSeenAt = () => iso(addSeconds(now, -Math.random() * LAST_SEEN_INTERVAL_SECONDS));
  const live = await seedSessions(db, { users, count: LIVE_SESSIONS, kid: keyring.current.kid, now, lastSeenAt });
  console.log(`  seeded ${expiredCount} expired and ${LIVE_SESSIONS} live sessions in ${round((nowMicros() - seedStart) / 1e6, 1)} s`);

  const tokensFile = path.join(BENCH_DIR, 'prune-tokens.json');
  const tokens: string[] = [];
  for (const session of live) tokens.push(await accessTokenFor(keyring, session, now));
  fs.writeFileSync(tokensFile, JSON.stringify(tokens));
  const { DATABASE_URL: _url, DATABASE_PATH: _path, ...inherited } = process.env;
  const checker = fork(path.join(__dirname, 'prune-checker.ts'), [tokensFile, String(LAST_SEEN_INTERVAL_SECONDS)], {
    execArgv: ['--import', 'tsx'],
    env: { ...inherited, ...db.env, BENCH_SIGNET_KEYS: keySpec },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const store = await db.openStore();
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
    const [left] = await db.query<{ n: number | string }>('SELECT count(*) AS n FROM sessions');
    const wal = db.file ? (fs.statSync(`${db.file}-wal`, { throwIfNoEntry: false })?.size ?? 0) : undefined;
    return {
      pruner: `the ${engine.name === 'pg' ? 'PostgreSQL' : 'SQLite'} store's prune, batches of ${engine.name === 'pg' ? PG_BATCH : SQLITE_BATCH}, ${RETENTION_DAYS}-day retention`,
      deleted: counts.sessions,
      seconds: round(seconds),
      before: result.before,
      during: result.during,
      liveLeft: Number(left?.n),
      ...(wal === undefined ? {} : { walMegabytes: round(wal / 1024 / 1024, 1) }),
    };
  } finally {
    // However the figure ends, the checker must not outlive it.
    if (checker.exitCode === null) checker.kill('SIGTERM');
    await store.close();
    await db.close();
    fs.rmSync(tokensFile, { force: true });
  }
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
