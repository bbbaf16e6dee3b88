import pg from 'pg';
import { checkAccessToken } from '../lib/auth/check';
import type { Keyring } from '../lib/crypto/keys';
import { forgetVerifiedTokens, verifyToken } from '../lib/crypto/tokens';
import type { Store } from '../lib/store/types';
import { configuredPolicy } from '../lib/web/context';
import type { BenchDb, Engine } from './lib/engine';
import { accessTokenFor, LAST_SEEN_INTERVAL_SECONDS, sample, seedSessions, seedUsers, type BulkSession } from './lib/seed';
import { median, nowMicros, quantile, round } from './lib/stats';

/**
 * Figure 3: the in-process session check — checkAccessToken, exactly as every request runs it
 * (signature and claims, then the row by jti with its user, org and membership) — timed call by
 * call against a table of 1 000 sessions and one of 1 000 000, in alternating rounds.
 *
 * The figure is a token's first sight: every timed call presents a token never seen before, so
 * each call verifies the HMAC and reads the row, as the first request after a refresh does. The
 * check as a returning browser meets it (the token's signature remembered, the row read again, as
 * on every request) is timed too, as a second series. On PostgreSQL a database round trip is
 * timed in the same rounds, the yardstick of that engine's target.
 */
export type CheckSide = {
  sessions: number;
  distinctTokens: number;
  p50: number;
  p99: number;
  verifyP50: number;
  lookupP50: number;
  returningP50: number;
  returningP99: number;
};
/** The signature check alone: a token's first sight (HMAC verified) and its return (remembered). */
export type TokenCost = { firstP50: number; firstP99: number; returnP50: number; returnP99: number };
/** PostgreSQL only: one `SELECT 1` through node-postgres on loopback, timed in the same rounds. */
export type RoundTrip = { p50: number; p99: number };
export type CheckFigure = {
  small: CheckSide;
  large: CheckSide;
  wide: CheckSide;
  ratio: number;
  failures: number;
  seedSeconds: number;
  tokens: TokenCost;
  roundTrip?: RoundTrip;
};

const USERS = 1_000;
const ROUNDS = 10;
const CALLS_PER_ROUND = 5_000;
// Both tables are probed through the same number of distinct sessions (1 000, drawn at random), so
// the only thing that differs is the table around them: 1 000 rows or 1 000 000. A third series
// probes the big table through 10 000 sessions, more than SQLite's page cache holds (no target).
const ACTIVE_SESSIONS = 1_000;
const WIDE_ACTIVE_SESSIONS = 10_000;

type Side = {
  label: string;
  db: BenchDb;
  store: Store;
  tokens: string[];
  sessions: BulkSession[];
  times: number[];
  returningTimes: number[];
  roundMedians: number[];
  all: BulkSession[];
};

export async function runSessionCheckBench(engine: Engine, keyring: Keyring, sizes: { small: number; large: number }): Promise<CheckFigure> {
  const now = new Date();
  const seedStart = nowMicros();
  const small = await prepareSide(engine, 'check-small', keyring, sizes.small, ACTIVE_SESSIONS, now);
  const large = await prepareSide(engine, 'check-large', keyring, sizes.large, ACTIVE_SESSIONS, now);
  const seedSeconds = (nowMicros() - seedStart) / 1e6;
  console.log(`  seeded ${sizes.small} and ${sizes.large} sessions in ${round(seedSeconds, 1)} s`);
  const wide = await widen(large, keyring, WIDE_ACTIVE_SESSIONS, now);
  const roundTrip = large.db.env.DATABASE_URL ? roundTripTimer(large.db.env.DATABASE_URL) : undefined;

  const policy = { ...configuredPolicy(), lastSeenIntervalSeconds: LAST_SEEN_INTERVAL_SECONDS };
  let failures = 0;
  /** One check exactly as a request runs it, in µs; a result other than `valid` is counted. */
  const timedCheck = async (store: Store, token: string): Promise<number> => {
    const start = nowMicros();
    const result = await checkAccessToken({ store, keyring, policy, now: () => new Date() }, token);
    const elapsed = nowMicros() - start;
    if (result.status !== 'valid') failures += 1;
    return elapsed;
  };
  const sides = [small, large, wide];
  const roundTrips: number[] = [];
  for (let r = -1; r < ROUNDS; r += 1) {
    // Round -1 warms every side up and is not recorded; the order alternates so none always goes first.
    for (const side of r % 2 === 0 ? sides : [...sides].reverse()) {
      const store = side.store;
      // First sight: every call presents a token never seen before (as after each refresh).
      const fresh = await freshTokens(keyring, side.sessions, CALLS_PER_ROUND);
      const times: number[] = [];
      for (const token of fresh) times.push(await timedCheck(store, token));
      // The same tokens again, each once untimed first so every one is remembered (as a browser's
      // is after its first request), then timed.
      for (const token of side.tokens) await timedCheck(store, token);
      const returning: number[] = [];
      for (let i = 0; i < CALLS_PER_ROUND; i += 1) returning.push(await timedCheck(store, side.tokens[i % side.tokens.length] as string));
      if (r >= 0) {
        side.times.push(...times);
        side.returningTimes.push(...returning);
        side.roundMedians.push(median(times));
      }
    }
    if (roundTrip && r >= 0) roundTrips.push(...(await roundTrip.time(CALLS_PER_ROUND)));
  }
  const ratios = small.roundMedians.map((value, i) => (large.roundMedians[i] as number) / value);
  const result: CheckFigure = {
    small: await summarise(small, keyring),
    large: await summarise(large, keyring),
    wide: await summarise(wide, keyring),
    ratio: median(ratios),
    failures,
    seedSeconds,
    tokens: await tokenCost(keyring, large.sessions),
    ...(roundTrip ? { roundTrip: { p50: round(quantile(roundTrips, 0.5)), p99: round(quantile(roundTrips, 0.99)) } } : {}),
  };
  await roundTrip?.close();
  for (const side of [small, large]) {
    await side.store.close();
    await side.db.close();
  }
  return result;
}

async function prepareSide(engine: Engine, name: string, keyring: Keyring, count: number, active: number, now: Date): Promise<Side> {
  const db = await engine.fresh(name);
  const users = await seedUsers(db, USERS, name, now);
  const sessions = await seedSessions(db, { users, count, kid: keyring.current.kid, now });
  // Opened the way a server opens it (SQLite: a new connection, so no page is cached from seeding).
  const store = await db.openStore();
  const picked = sample(sessions, Math.min(active, count));
  const tokens: string[] = [];
  for (const session of picked) tokens.push(await accessTokenFor(keyring, session, now));
  return { label: name, db, store, tokens, sessions: picked, times: [], returningTimes: [], roundMedians: [], all: sessions };
}

// Distinct tokens for the same sessions: each call's issue time steps back one second, cycling
// through 799 of them (coprime with the 1 000 sessions, so no pair repeats within a run).
let issued = 0;
async function freshTokens(keyring: Keyring, sessions: BulkSession[], count: number): Promise<string[]> {
  const now = Date.now();
  const tokens: string[] = [];
  for (let i = 0; i < count; i += 1, issued += 1) {
    const session = sessions[issued % sessions.length] as BulkSession;
    tokens.push(await accessTokenFor(keyring, session, new Date(now - (issued % 799) * 1000)));
  }
  return tokens;
}

/** The same table and connection as `side`, probed through `active` distinct sessions. */
async function widen(side: Side, keyring: Keyring, active: number, now: Date): Promise<Side> {
  const picked = sample(side.all, active);
  const tokens: string[] = [];
  for (const session of picked) tokens.push(await accessTokenFor(keyring, session, now));
  return { ...side, label: `${side.label}-wide`, tokens, sessions: picked, times: [], returningTimes: [], roundMedians: [], all: [] };
}

/** Percentiles of the whole check, plus its two halves timed alone (first sight) to show where the time goes. */
async function summarise(side: Side, keyring: Keyring): Promise<CheckSide> {
  const verifyTimes: number[] = [];
  const lookupTimes: number[] = [];
  for (let i = 0; i < CALLS_PER_ROUND; i += 1) {
    const token = side.tokens[i % side.tokens.length] as string;
    forgetVerifiedTokens(keyring);
    let start = nowMicros();
    await verifyToken(keyring, 'access', token, new Date());
    verifyTimes.push(nowMicros() - start);
    const session = side.sessions[i % side.sessions.length] as BulkSession;
    start = nowMicros();
    await side.store.findSessionForCheck(session.id);
    lookupTimes.push(nowMicros() - start);
  }
  const [count] = await side.db.query<{ n: number | string }>('SELECT count(*) AS n FROM sessions');
  return {
    sessions: Number(count?.n),
    distinctTokens: side.tokens.length,
    p50: round(quantile(side.times, 0.5)),
    p99: round(quantile(side.times, 0.99)),
    verifyP50: round(median(verifyTimes)),
    lookupP50: round(median(lookupTimes)),
    returningP50: round(quantile(side.returningTimes, 0.5)),
    returningP99: round(quantile(side.returningTimes, 0.99)),
  };
}

/**
 * The signature check alone, as the check calls it (verifyToken: jose behind the memo): each
 * token's first sight, verified by jose, then its return, a lookup of the remembered claims.
 */
async function tokenCost(keyring: Keyring, sessions: BulkSession[]): Promise<TokenCost> {
  const first: number[] = [];
  const again: number[] = [];
  const tokens = await freshTokens(keyring, sessions, CALLS_PER_ROUND * 2);
  forgetVerifiedTokens(keyring);
  for (const token of tokens) {
    let start = nowMicros();
    await verifyToken(keyring, 'access', token, new Date());
    first.push(nowMicros() - start);
    start = nowMicros();
    await verifyToken(keyring, 'access', token, new Date());
    again.push(nowMicros() - start);
  }
  const at = (values: number[], q: number) => round(quantile(values, q));
  return { firstP50: at(first, 0.5), firstP99: at(first, 0.99), returnP50: at(again, 0.5), returnP99: at(again, 0.99) };
}

/** Times `SELECT 1` through node-postgres (a named statement, like the check's), one at a time. */
function roundTripTimer(url: string): { time: (count: number) => Promise<number[]>; close: () => Promise<void> } {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const query = { name: 'bench_round_trip', text: 'SELECT 1' };
  return {
    async time(count) {
      const times: number[] = [];
      for (let i = -100; i < count; i += 1) {
        const start = nowMicros();
        await pool.query(query);
        if (i >= 0) times.push(nowMicros() - start);
      }
      return times;
    },
    close: () => pool.end(),
  };
}
