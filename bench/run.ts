/**
 * npm run bench -- --store=sqlite|pg — Signet's benchmarks on one engine, end to end, in one
 * bounded run (PostgreSQL: a throwaway server the bench starts and stops, as the tests do):
 *   1, 2, 4, 5. HTTP figures against a production server on loopback (`next start`)
 *   8. realistic traffic: 10 000 simulated browsers, the guard's cost and guarded ÷ unguarded
 *   7. cross-instance revocation: two servers on one database
 *   3, 9. the in-process session check at 1 000 and 1 000 000 sessions; the token's signature check
 *   6. pruning 1 000 000 expired sessions while another process checks sessions
 *   10. device-bound sessions (DBSC): a plain refresh of an unbound session beside one DBSC refresh
 * Every comparison alternates its two sides within the run.
 * `--only=json,page,refresh,security,mix,instances,check,prune,dbsc` runs a subset.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { parseKeyring } from '../lib/crypto/keys';
import { runDbscBench } from './dbsc';
import { HTTP_FIGURES, runHttpBench, type HttpFigure } from './http';
import { runInstancesBench } from './instances';
import { packageVersion, startEngine, type EngineName } from './lib/engine';
import { round } from './lib/stats';
import { runMixBench } from './mix';
import { runPruneBench } from './prune';
import { runSessionCheckBench } from './session-check';
import { summaryLines, type Figures } from './summary';

type Part = 'check' | 'prune' | 'mix' | 'instances' | 'dbsc' | HttpFigure;
const PARTS: readonly Part[] = [...HTTP_FIGURES, 'mix', 'instances', 'check', 'dbsc', 'prune'];
/** Figures 3 and 6 at full size; smaller for trying the bench out (BENCH_LARGE=100000). */
const LARGE = Number(process.env.BENCH_LARGE ?? 1_000_000);

function option(argv: string[], name: string): string | undefined {
  return argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
}

function selectedParts(argv: string[]): Set<Part> {
  const only = option(argv, 'only');
  if (!only) return new Set(PARTS);
  const picked = only.split(',').filter((part): part is Part => (PARTS as readonly string[]).includes(part));
  if (picked.length === 0) throw new Error(`--only takes a list of: ${PARTS.join(', ')}`);
  return new Set(picked);
}

function selectedEngine(argv: string[]): EngineName {
  const store = option(argv, 'store') ?? 'sqlite';
  if (store !== 'sqlite' && store !== 'pg') throw new Error('--store is sqlite or pg');
  return store;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const parts = selectedParts(argv);
  const engine = await startEngine(selectedEngine(argv));
  const started = Date.now();
  // One keyring for the whole run: the bench mints tokens with it and the server verifies them.
  const keySpec = `b1:${randomBytes(32).toString('base64url')}`;
  const keyring = parseKeyring(keySpec);
  const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`Signet benchmarks on ${engine.name} — ${new Date().toISOString()} — ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Linux ${os.release()}, Node ${process.version}, Next.js ${packageVersion('next')}, ${engine.versions}; load average ${load()}`);

  const figures: Figures = {};
  try {
    // The HTTP comparisons go first: they are the most sensitive to a busy machine, and the
    // million-row figures leave the disk writing back half a gigabyte for a while afterwards.
    const httpFigures = new Set(HTTP_FIGURES.filter((figure) => parts.has(figure)));
    if (httpFigures.size > 0) {
      console.log('\n[1, 2, 4, 5] HTTP against next start on loopback');
      figures.http = await runHttpBench(engine, keySpec, keyring, httpFigures);
    }
    if (parts.has('mix')) {
      console.log('\n[8] realistic traffic: 10 000 simulated browsers against next start');
      figures.mix = await runMixBench(engine, keySpec, keyring);
    }
    if (parts.has('instances')) {
      console.log('\n[7] cross-instance revocation: two servers on one database');
      figures.instances = await runInstancesBench(engine, keySpec, keyring);
    }
    if (parts.has('check')) {
      console.log('\n[3, 9] in-process session check (verify + lookup) and the token signature check');
      figures.check = await runSessionCheckBench(engine, keyring, { small: 1_000, large: LARGE });
    }
    if (parts.has('dbsc')) {
      console.log('\n[10] device-bound sessions: a plain refresh beside one DBSC refresh, in process');
      figures.dbsc = await runDbscBench(engine, keyring);
    }
    if (parts.has('prune')) {
      console.log(`\n[6] pruning ${LARGE} expired sessions while another process checks sessions`);
      figures.prune = await runPruneBench(engine, keySpec, keyring, LARGE);
    }
  } finally {
    await engine.stop();
  }

  console.log(`\n=== Summary: ${engine.name}, ${round((Date.now() - started) / 1000, 0)} s, load average at the end ${load()} ===`);
  for (const line of summaryLines(engine.name, figures)) console.log(line);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
