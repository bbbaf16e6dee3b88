import type { Keyring } from '../lib/crypto/keys';
import { addSeconds, iso } from '../lib/ids';
import { act, browsersFor, read, signOutAndIn, type Browser, type Outcome, type Traffic } from './lib/browsers';
import { newAgent } from './lib/client';
import type { BenchDb, Engine } from './lib/engine';
import { startMailSink } from './lib/mail-sink';
import { LAST_SEEN_INTERVAL_SECONDS, seedSessions, seedUsers } from './lib/seed';
import { ensureBuild, freePort, startServer, type RunningServer } from './lib/server';
import { median, quantile, round } from './lib/stats';

/**
 * Figure 8: realistic traffic. 10 000 simulated browsers, each a signed-in session with its own
 * cookies, against one production server, open loop (every request leaves on its schedule,
 * answered or not):
 *   - reads at a steady rate: one in five a page view (GET /), the rest GET /api/session;
 *   - last-seen writes fall due at their natural 5-minute interval (the check makes them);
 *   - refreshes at 15-minute spacing (see browsersFor);
 *   - a trickle: every second one person signs out and signs in again by emailed code.
 * Three variants alternate round by round, the order rotating: G, the JSON reads go to
 * /api/session; U, to its unguarded twin; B, no JSON reads (everything else as in G and U). The
 * server's CPU per round gives the JSON read's own cost in G and U once B's is taken away.
 *
 * The browsers are split in three groups, one per variant, and a round reads only its own group
 * (in a fixed shuffled cycle, at the full rate). Each browser is then read every N ÷ rate seconds
 * of wall time, as in one steady run, and its last-seen write and refresh fall due at their
 * natural times; a third of the browsers read three times as often make every round see the
 * whole population's rate of writes and refreshes. Nothing is reset between rounds, so the
 * server's caches hold what a server running this traffic would hold.
 */
export type Latency = { p50: number; p99: number; count: number; failed: number };
export type MixFigure = {
  browsers: number;
  readRate: number;
  rounds: number;
  /** Per second of a G round. */
  rates: { json: number; page: number; refresh: number; signIn: number; signOut: number; lastSeen: number };
  /** Server CPU per /api/session call above its twin (µs), median over triples, and its spread. */
  guardMicros: number;
  guardRange: [number, number];
  /** Twin ÷ guarded CPU per JSON read, median over triples, and its spread. */
  ratio: number;
  ratioRange: [number, number];
  jsonMicros: { guarded: number; unguarded: number };
  /** Database server CPU per JSON read above the twin's (PostgreSQL only, µs). */
  dbGuardMicros?: number;
  latency: { json: Latency; twin: Latency; page: Latency; refresh: Latency; signIn: Latency };
  /** How late the generator sent reads (ms, p99): near 0 means the schedule held. */
  lateP99: number;
};

const BROWSERS = Number(process.env.BENCH_MIX_BROWSERS ?? 10_000);
const READ_RATE = Number(process.env.BENCH_MIX_RATE ?? 300);
const ROUND_SECONDS = Number(process.env.BENCH_MIX_ROUND_SECONDS ?? 4);
const TRIPLES = Number(process.env.BENCH_MIX_TRIPLES ?? 8);
const PAGE_EVERY = 5;
const CHURN_PER_SECOND = 1;

type Variant = 'G' | 'U' | 'B';
const JSON_PATH: Record<Variant, string | null> = { G: '/api/session', U: '/api/session-unguarded', B: null };

type Round = { variant: Variant; cpu: number; dbCpu: number; outcomes: Outcome[]; late: number[]; jsonReads: number; lastSeen: number };

export async function runMixBench(engine: Engine, keySpec: string, keyring: Keyring): Promise<MixFigure> {
  await ensureBuild();
  const now = new Date();
  const db = await engine.fresh('mix');
  const users = await seedUsers(db, BROWSERS, 'mix', now);
  // Each browser's last write was at a random moment of one cycle of its writes (the 5-minute
  // interval plus the time to its next read), as in a steady state.
  const cycle = LAST_SEEN_INTERVAL_SECONDS + BROWSERS / READ_RATE;
  const lastSeenAt = () => iso(addSeconds(now, -Math.random() * cycle));
  const sessions = await seedSessions(db, { users, count: BROWSERS, kid: keyring.current.kid, now, lastSeenAt });
  const browsers = shuffle(await browsersFor(keyring, sessions, new Map(users.map((user) => [user.userId, user])), now, BROWSERS / READ_RATE));
  const third = Math.ceil(browsers.length / 3);
  const groups: Record<Variant, Browser[]> = { G: browsers.slice(0, third), U: browsers.slice(third, 2 * third), B: browsers.slice(2 * third) };
  const mail = await startMailSink(await freePort(3625));
  const server = await startServer({ port: await freePort(3640), env: { ...db.env, SMTP_URL: mail.url }, keys: keySpec, name: 'mix' });
  const agent = newAgent(256);
  console.log(`  ${BROWSERS} browsers, ${READ_RATE} reads/s, ${TRIPLES} triples of ${ROUND_SECONDS} s rounds (G guarded, U unguarded twin, B background only), server at ${server.origin}`);
  const traffic: Traffic = { agent, origin: server.origin, mail, record: () => {} };
  const cursors: Record<Variant, number> = { G: 0, U: 0, B: 0 };
  try {
    for (const variant of ['G', 'U', 'B'] as const) await runRound(engine, db, server, traffic, groups[variant], cursors, variant, 2); // warm-up
    const rounds: Round[] = [];
    for (let t = 0; t < TRIPLES; t += 1) {
      const order: Variant[] = (['G', 'U', 'B'] as const).map((_, k, all) => all[(k + t) % 3] as Variant);
      for (const variant of order) {
        const result = await runRound(engine, db, server, traffic, groups[variant], cursors, variant, ROUND_SECONDS);
        rounds.push(result);
        console.log(`  triple ${t + 1}/${TRIPLES} ${variant}: ${describeRound(result)}`);
      }
    }
    return summarise(rounds);
  } finally {
    agent.destroy();
    await server.stop();
    await mail.close();
    await db.close();
  }
}

/** One round of `variant`, reading its own group of browsers from where its last round stopped. */
async function runRound(engine: Engine, db: BenchDb, server: RunningServer, traffic: Traffic, browsers: Browser[], cursors: Record<Variant, number>, variant: Variant, seconds: number): Promise<Round> {
  const outcomes: Outcome[] = [];
  const late: number[] = [];
  const round = { ...traffic, record: (outcome: Outcome) => outcomes.push(outcome) };
  const startedAt = new Date();
  const cpuBefore = server.cpuMicros();
  const dbCpuBefore = engine.dbCpuMicros?.() ?? 0;
  const start = performance.now();
  const pending: Array<Promise<void>> = [];
  const reads = Math.round(READ_RATE * seconds);
  const churns = Math.round(CHURN_PER_SECOND * seconds);
  let jsonReads = 0;
  for (let i = 0, k = 0; i < reads || k < churns; ) {
    const elapsed = (performance.now() - start) / 1000;
    for (; i < reads && i / READ_RATE <= elapsed; i += 1) {
      late.push(elapsed * 1000 - (i / READ_RATE) * 1000);
      const n = cursors[variant]++;
      const browser = browsers[n % browsers.length] as Browser;
      // One read in five is a page view; which browsers make them shifts with every cycle.
      const page = (n + Math.floor(n / browsers.length)) % PAGE_EVERY === 0;
      if (!page && JSON_PATH[variant]) jsonReads += 1;
      pending.push(act(round, page ? 'page' : 'json', () => read(round, browser, page ? 'page' : 'json', page ? '/' : JSON_PATH[variant])));
    }
    for (; k < churns && (k + 0.5) / CHURN_PER_SECOND <= elapsed; k += 1) {
      // Half a cycle away from the reads, so no read of this browser is under way.
      const browser = browsers[Math.floor(cursors[variant] + browsers.length / 2) % browsers.length] as Browser;
      pending.push(act(round, 'sign-in', () => signOutAndIn(round, browser)));
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await Promise.all(pending);
  const cpu = server.cpuMicros() - cpuBefore;
  const dbCpu = (engine.dbCpuMicros?.() ?? 0) - dbCpuBefore;
  // Rows whose last-seen moved, less those a refresh or a sign-in wrote (both set it too).
  const [moved] = await db.query<{ n: number | string }>('SELECT count(*) AS n FROM sessions WHERE last_seen_at >= ?', [iso(startedAt)]);
  const written = outcomes.filter((o) => o.kind === 'refresh' || o.kind === 'sign-in').length;
  return { variant, cpu, dbCpu, outcomes, late, jsonReads, lastSeen: Number(moved?.n) - written };
}

function describeRound(r: Round): string {
  const count = (kind: Outcome['kind']) => r.outcomes.filter((o) => o.kind === kind).length;
  const failed = r.outcomes.filter((o) => !o.ok).length;
  return `${r.jsonReads} JSON, ${count('page')} pages, ${count('refresh')} refreshes, ${count('sign-in')} sign-ins, ${r.lastSeen} last-seen writes; server CPU ${Math.round(r.cpu / 1000)} ms${r.dbCpu ? `, database CPU ${Math.round(r.dbCpu / 1000)} ms` : ''}; failed ${failed}`;
}

function latency(outcomes: Outcome[]): Latency {
  const ms = outcomes.map((o) => o.micros / 1000);
  return { p50: round(quantile(ms, 0.5)), p99: round(quantile(ms, 0.99)), count: outcomes.length, failed: outcomes.filter((o) => !o.ok).length };
}

function summarise(rounds: Round[]): MixFigure {
  const of = (variant: Variant) => rounds.filter((r) => r.variant === variant);
  const [g, u, b] = [of('G'), of('U'), of('B')];
  const triples = g.map((gr, t) => ({ g: gr, u: u[t] as Round, b: b[t] as Round }));
  const perJson = (r: Round, background: Round, key: 'cpu' | 'dbCpu') => (r[key] - background[key]) / r.jsonReads;
  const guard = triples.map(({ g: gr, u: ur, b: br }) => perJson(gr, br, 'cpu') - perJson(ur, br, 'cpu'));
  const ratios = triples.map(({ g: gr, u: ur, b: br }) => perJson(ur, br, 'cpu') / perJson(gr, br, 'cpu'));
  const all = (rs: Round[], kind: Outcome['kind']) => rs.flatMap((r) => r.outcomes.filter((o) => o.kind === kind));
  const seconds = g.length * ROUND_SECONDS;
  const hasDbCpu = g.some((r) => r.dbCpu > 0);
  return {
    browsers: BROWSERS,
    readRate: READ_RATE,
    rounds: rounds.length,
    rates: {
      json: round(g.reduce((n, r) => n + r.jsonReads, 0) / seconds, 1),
      page: round(all(g, 'page').length / seconds, 1),
      refresh: round(all(g, 'refresh').length / seconds, 1),
      signIn: round(all(g, 'sign-in').length / seconds, 1),
      signOut: round(all(g, 'sign-out').length / seconds, 1),
      lastSeen: round(g.reduce((n, r) => n + r.lastSeen, 0) / seconds, 1),
    },
    guardMicros: round(median(guard), 1),
    guardRange: [round(Math.min(...guard), 1), round(Math.max(...guard), 1)],
    ratio: round(median(ratios), 3),
    ratioRange: [round(Math.min(...ratios), 3), round(Math.max(...ratios), 3)],
    jsonMicros: {
      guarded: round(median(triples.map(({ g: gr, b: br }) => perJson(gr, br, 'cpu')))),
      unguarded: round(median(triples.map(({ u: ur, b: br }) => perJson(ur, br, 'cpu')))),
    },
    ...(hasDbCpu ? { dbGuardMicros: round(median(triples.map(({ g: gr, u: ur, b: br }) => perJson(gr, br, 'dbCpu') - perJson(ur, br, 'dbCpu'))), 1) } : {}),
    latency: {
      json: latency(all(g, 'json')),
      twin: latency(all(u, 'json')),
      page: latency(all(rounds, 'page')),
      refresh: latency(all(rounds, 'refresh')),
      signIn: latency(all(rounds, 'sign-in')),
    },
    lateP99: round(quantile(rounds.flatMap((r) => r.late), 0.99)),
  };
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}
