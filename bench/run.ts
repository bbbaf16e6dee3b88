/**
 * npm run bench — Signet's benchmarks, end to end, in one bounded run:
 *   1, 2, 4, 5. HTTP figures against a production server on loopback (`next start`)
 *   3. the in-process session check at 1 000 and 1 000 000 sessions
 *   6. pruning 1 000 000 expired sessions while another process checks sessions
 * Every comparison alternates its two sides within the run.
 * `npm run bench -- --only=check,prune,json,page,refresh,security` runs a subset.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { parseKeyring } from '../lib/auth/keys';
import { HTTP_FIGURES, runHttpBench, type HttpFigure, type HttpFigures } from './http';
import { runPruneBench, type PruneFigure } from './prune';
import { runSessionCheckBench, type CheckFigure } from './session-check';
import { round, verdict } from './lib/stats';

type Part = 'check' | 'prune' | HttpFigure;
const PARTS: readonly Part[] = ['check', 'prune', ...HTTP_FIGURES];

function selectedParts(argv: string[]): Set<Part> {
  const only = argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
  if (!only) return new Set(PARTS);
  const picked = only.split(',').filter((part): part is Part => (PARTS as readonly string[]).includes(part));
  if (picked.length === 0) throw new Error(`--only takes a list of: ${PARTS.join(', ')}`);
  return new Set(picked);
}

async function main(): Promise<void> {
  const parts = selectedParts(process.argv.slice(2));
  const started = Date.now();
  // One keyring for the whole run: the bench mints tokens with it and the server verifies them.
  const keySpec = `b1:${randomBytes(32).toString('base64url')}`;
  const keyring = parseKeyring(keySpec);
  console.log(`Signet benchmarks — ${new Date().toISOString()} — ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  let check: CheckFigure | undefined;
  let prune: PruneFigure | undefined;
  let http: HttpFigures | undefined;
  // The HTTP comparisons go first: they are the most sensitive to a busy machine, and the
  // million-row figures leave the disk writing back half a gigabyte for a while afterwards.
  const httpFigures = new Set(HTTP_FIGURES.filter((figure) => parts.has(figure)));
  if (httpFigures.size > 0) {
    console.log('\n[1, 2, 4, 5] HTTP against next start on loopback');
    http = await runHttpBench(keySpec, keyring, httpFigures);
  }
  if (parts.has('check')) {
    console.log('\n[3] in-process session check (verify + lookup)');
    check = await runSessionCheckBench(keyring, { small: 1_000, large: 1_000_000 });
  }
  if (parts.has('prune')) {
    console.log('\n[6] pruning 1 000 000 expired sessions while another process checks sessions');
    prune = await runPruneBench(keySpec, keyring, 1_000_000);
  }

  console.log(`\n=== Summary (${round((Date.now() - started) / 1000, 0)} s) ===`);
  for (const line of summaryLines(check, prune, http)) console.log(line);
}

function summaryLines(check?: CheckFigure, prune?: PruneFigure, http?: HttpFigures): string[] {
  const lines: string[] = [];
  const f1 = http?.json;
  if (f1) {
    lines.push(`1. guarded GET /api/session ÷ the same route unguarded: ${round(f1.ratio, 3)} (target ≥ 0.95: ${verdict(f1.ratio, 0.95, '>=')}) — ${Math.round(f1.bRps)} vs ${Math.round(f1.aRps)} req/s; server CPU per request ${Math.round(f1.bCpuPerRequest)} vs ${Math.round(f1.aCpuPerRequest)} µs, CPU ratio ${round(f1.cpuRatio, 3)}; ${f1.bytes.b} vs ${f1.bytes.a} bytes per response; non-2xx ${f1.non2xx.b + f1.non2xx.a}`);
  }
  const f1h = http?.jsonHealth;
  if (f1h) {
    lines.push(`   (no target) guarded GET /api/session ÷ GET /api/health: ${round(f1h.ratio, 3)} — ${Math.round(f1h.bRps)} vs ${Math.round(f1h.aRps)} req/s; CPU ratio ${round(f1h.cpuRatio, 3)}; ${f1h.bytes.b} vs ${f1h.bytes.a} bytes per response`);
  }
  const f2 = http?.page;
  if (f2) {
    lines.push(`2. signed-in GET / ÷ public GET /sign-in: ${round(f2.ratio, 3)} (target ≥ 0.95: ${verdict(f2.ratio, 0.95, '>=')}) — ${Math.round(f2.bRps)} vs ${Math.round(f2.aRps)} req/s; server CPU per request ${Math.round(f2.bCpuPerRequest)} vs ${Math.round(f2.aCpuPerRequest)} µs, CPU ratio ${round(f2.cpuRatio, 3)}; ${f2.bytes.b} vs ${f2.bytes.a} bytes per response; non-2xx ${f2.non2xx.b + f2.non2xx.a}`);
  }
  if (check) {
    lines.push(
      `3. session check, first sight of each token, at ${check.small.sessions} sessions (${check.small.distinctTokens} probed): median ${check.small.p50} µs, p99 ${check.small.p99} µs (verify ${check.small.verifyP50}, lookup ${check.small.lookupP50})`,
      `   session check, first sight, at ${check.large.sessions} sessions (${check.large.distinctTokens} probed): median ${check.large.p50} µs (target ≤ 25: ${verdict(check.large.p50, 25, '<=')}), p99 ${check.large.p99} µs (verify ${check.large.verifyP50}, lookup ${check.large.lookupP50})`,
      `   1M ÷ 1k median: ${round(check.ratio, 3)} (target ≤ 1.3: ${verdict(check.ratio, 1.3, '<=')}); checks not valid: ${check.failures}`,
      `   (no target) ${check.wide.sessions} sessions probed through ${check.wide.distinctTokens}: median ${check.wide.p50} µs, p99 ${check.wide.p99} µs (verify ${check.wide.verifyP50}, lookup ${check.wide.lookupP50})`,
      `   (no target) a returning token, nothing committed since its row was read: median ${check.small.returningP50} / ${check.large.returningP50} / ${check.wide.returningP50} µs at 1k / 1M / 1M through 10k; p99 ${check.small.returningP99} / ${check.large.returningP99} / ${check.wide.returningP99} µs`,
    );
  }
  const f4 = http?.refresh;
  if (http && f4) {
    lines.push(
      `4. POST /refresh ÷ GET /api/health at ${http.refreshConnections} connections: ${round(f4.ratio, 3)} (target ≥ 0.8: ${verdict(f4.ratio, 0.8, '>=')}) — ${Math.round(f4.bRps)} vs ${Math.round(f4.aRps)} req/s; server CPU per request ${Math.round(f4.bCpuPerRequest)} vs ${Math.round(f4.aCpuPerRequest)} µs, CPU ratio ${round(f4.cpuRatio, 3)}; refresh non-2xx ${f4.non2xx.b}, errors ${f4.errors.b}, SQLITE_BUSY in server log ${http.busyInLog}`,
    );
  }
  const f5 = http?.securityPage;
  if (f5) {
    lines.push(
      f5.status === 'skipped'
        ? `5. /settings/security with 100 sessions: skipped: page not present`
        : `5. /settings/security with 100 sessions: p50 ${f5.p50} ms, p99 ${f5.p99} ms per render (${f5.renders} sequential renders, ${f5.bytes} bytes)`,
    );
  }
  if (prune) {
    lines.push(
      `6. prune ${prune.deleted} expired sessions (${prune.pruner}): ${prune.seconds} s; checker during prune: ${prune.during.count} checks, p50 ${prune.during.p50} µs, p99 ${prune.during.p99} µs, longest stall ${prune.during.maxMs} ms (target ≤ 50: ${verdict(prune.during.maxMs, 50, '<=')}), longest gap between checks ${prune.during.maxGapMs} ms; before prune: p50 ${prune.before.p50} µs, longest ${prune.before.maxMs} ms; WAL after prune ${prune.walMegabytes} MB; live sessions left ${prune.liveLeft}`,
    );
  }
  return lines;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
