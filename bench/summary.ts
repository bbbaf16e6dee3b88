import type { HttpFigures } from './http';
import type { InstancesFigure } from './instances';
import { describeContention } from './lib/contention';
import type { EngineName } from './lib/engine';
import { round, verdict } from './lib/stats';
import type { Latency, MixFigure } from './mix';
import type { PruneFigure } from './prune';
import type { CheckFigure } from './session-check';
import type { DbscFigure } from './dbsc';

export type Figures = { http?: HttpFigures; mix?: MixFigure; instances?: InstancesFigure; check?: CheckFigure; prune?: PruneFigure; dbsc?: DbscFigure };

/** The run's figures, one numbered line each, every target said met or not. */
export function summaryLines(engine: EngineName, figures: Figures): string[] {
  const { http, mix, instances, check, prune } = figures;
  const sqlite = engine === 'sqlite';
  const lines: string[] = [];
  const f1 = http?.json;
  if (f1) {
    const target = sqlite ? ` (target ≥ 0.95: ${verdict(f1.ratio, 0.95, '>=')})` : ' (no target on PostgreSQL)';
    lines.push(`1. guarded GET /api/session ÷ the same route unguarded: ${round(f1.ratio, 3)}${target} — ${Math.round(f1.bRps)} vs ${Math.round(f1.aRps)} req/s; server CPU per request ${Math.round(f1.bCpuPerRequest)} vs ${Math.round(f1.aCpuPerRequest)} µs, CPU ratio ${round(f1.cpuRatio, 3)}; ${f1.bytes.b} vs ${f1.bytes.a} bytes per response; non-2xx ${f1.non2xx.b + f1.non2xx.a}`);
  }
  const f1h = http?.jsonHealth;
  if (f1h) {
    lines.push(`   (no target) guarded GET /api/session ÷ GET /api/health: ${round(f1h.ratio, 3)} — ${Math.round(f1h.bRps)} vs ${Math.round(f1h.aRps)} req/s; CPU ratio ${round(f1h.cpuRatio, 3)}; ${f1h.bytes.b} vs ${f1h.bytes.a} bytes per response`);
  }
  const f2 = http?.page;
  if (f2) {
    const target = sqlite ? ` (target ≥ 0.95: ${verdict(f2.ratio, 0.95, '>=')})` : ' (no target on PostgreSQL)';
    lines.push(`2. signed-in GET / ÷ public GET /sign-in: ${round(f2.ratio, 3)}${target} — ${Math.round(f2.bRps)} vs ${Math.round(f2.aRps)} req/s; server CPU per request ${Math.round(f2.bCpuPerRequest)} vs ${Math.round(f2.aCpuPerRequest)} µs, CPU ratio ${round(f2.cpuRatio, 3)}; ${f2.bytes.b} vs ${f2.bytes.a} bytes per response; non-2xx ${f2.non2xx.b + f2.non2xx.a}`);
  }
  if (check) {
    const rt = check.roundTrip;
    const bound = rt ? rt.p50 + 30 : 25;
    const boundText = rt ? `one round trip + 30 = ${round(bound, 1)}` : '25';
    lines.push(
      `3. session check, first sight of each token, at ${check.small.sessions} sessions (${check.small.distinctTokens} probed): median ${check.small.p50} µs, p99 ${check.small.p99} µs (verify ${check.small.verifyP50}, lookup ${check.small.lookupP50})`,
      `   session check, first sight, at ${check.large.sessions} sessions (${check.large.distinctTokens} probed): median ${check.large.p50} µs (target ≤ ${boundText}: ${verdict(check.large.p50, bound, '<=')}), p99 ${check.large.p99} µs (verify ${check.large.verifyP50}, lookup ${check.large.lookupP50})`,
      ...(rt ? [`   database round trip (SELECT 1 through node-postgres, loopback), timed in the same rounds: median ${rt.p50} µs, p99 ${rt.p99} µs`] : []),
      `   1M ÷ 1k median: ${round(check.ratio, 3)} (target ≤ 1.3: ${verdict(check.ratio, 1.3, '<=')}); checks not valid: ${check.failures}`,
      `   (no target) ${check.wide.sessions} sessions probed through ${check.wide.distinctTokens}: median ${check.wide.p50} µs, p99 ${check.wide.p99} µs (verify ${check.wide.verifyP50}, lookup ${check.wide.lookupP50})`,
      `   (no target) a returning token (its signature remembered): median ${check.small.returningP50} / ${check.large.returningP50} / ${check.wide.returningP50} µs at 1k / 1M / 1M through 10k; p99 ${check.small.returningP99} / ${check.large.returningP99} / ${check.wide.returningP99} µs`,
    );
  }
  const f4 = http?.refresh;
  if (http && f4) {
    const clean = f4.non2xx.b + f4.errors.b === 0 && (http.contention.engine !== 'sqlite' || http.contention.busyInLog === 0);
    lines.push(
      `4. POST /refresh ÷ GET /api/health at ${http.refreshConnections} connections: ${round(f4.ratio, 3)} (target ≥ 0.8 and no failed request: ${f4.ratio >= 0.8 && clean ? 'met' : 'NOT met'}) — ${Math.round(f4.bRps)} vs ${Math.round(f4.aRps)} req/s; server CPU per request ${Math.round(f4.bCpuPerRequest)} vs ${Math.round(f4.aCpuPerRequest)} µs, CPU ratio ${round(f4.cpuRatio, 3)}; refresh non-2xx ${f4.non2xx.b}, errors ${f4.errors.b}; ${describeContention(http.contention)}`,
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
      `6. prune ${prune.deleted} expired sessions (${prune.pruner}): ${prune.seconds} s; checker during prune: ${prune.during.count} checks, p50 ${prune.during.p50} µs, p99 ${prune.during.p99} µs, longest stall ${prune.during.maxMs} ms (target ≤ 50: ${verdict(prune.during.maxMs, 50, '<=')}), longest gap between checks ${prune.during.maxGapMs} ms; before prune: p50 ${prune.before.p50} µs, longest ${prune.before.maxMs} ms; ${prune.walMegabytes === undefined ? '' : `WAL after prune ${prune.walMegabytes} MB; `}live sessions left ${prune.liveLeft}, checks not valid ${prune.during.invalid}`,
    );
  }
  if (instances) {
    const met = instances.stale === 0 && instances.rounds - instances.unusable >= 1_000;
    lines.push(
      `7. cross-instance revocation (${sqlite ? 'two server processes on one SQLite file' : 'two servers on one PostgreSQL database'}): ${instances.stale} stale acceptances in ${instances.rounds - instances.unusable} revocations (target 0 in ≥ 1 000: ${met ? 'met' : 'NOT met'}); B's refusal came ${instances.delay.p50} ms (p50), ${instances.delay.p99} ms (p99), ${instances.delay.max} ms (max) after A's answer; rounds unusable ${instances.unusable}`,
    );
  }
  if (mix) {
    const target = sqlite ? 0.95 : 0.9;
    const l = (name: string, x: Latency) => `${name} ${x.p50}/${x.p99} ms (${x.count}, ${x.failed} failed)`;
    lines.push(
      `8. realistic traffic, ${mix.browsers} browsers, per second: ${mix.rates.json} /api/session + ${mix.rates.page} page views, ${mix.rates.refresh} refreshes, ${mix.rates.lastSeen} last-seen writes, ${mix.rates.signOut} sign-outs + ${mix.rates.signIn} sign-ins (${mix.rounds} rounds)`,
      `   twin ÷ guarded, server CPU per JSON read: ${mix.ratio} (target ≥ ${target}: ${verdict(mix.ratio, target, '>=')}; triples ${mix.ratioRange[0]}–${mix.ratioRange[1]}); ${mix.jsonMicros.unguarded} vs ${mix.jsonMicros.guarded} µs`,
      `   the guard's cost per request: ${mix.guardMicros} µs of server CPU (triples ${mix.guardRange[0]}–${mix.guardRange[1]})${mix.dbGuardMicros === undefined ? '' : ` + ${mix.dbGuardMicros} µs of database CPU`}`,
      `   latency p50/p99: ${l('/api/session', mix.latency.json)}, ${l('twin', mix.latency.twin)}, ${l('GET /', mix.latency.page)}, ${l('refresh', mix.latency.refresh)}, ${l('sign-in', mix.latency.signIn)}; reads sent late by ≤ ${mix.lateP99} ms (p99)`,
    );
  }
  if (check) {
    const t = check.tokens;
    lines.push(
      `9. token signature check (HS256 by node:crypto's createHmac and timingSafeEqual in lib/crypto/tokens.ts; jose is not on this path): first sight p50 ${t.firstP50} µs, p99 ${t.firstP99} µs; on its return (remembered verified claims, times checked) p50 ${t.returnP50} µs, p99 ${t.returnP99} µs`,
    );
  }
  const f10 = figures.dbsc;
  if (f10) {
    lines.push(
      `10. device-bound sessions, in process, µs per refresh (${f10.refreshes} timed): plain refresh of an unbound session p50 ${f10.plain.p50}, p99 ${f10.plain.p99}; one DBSC refresh (challenge + signed proof, server side) p50 ${f10.dbsc.p50}, p99 ${f10.dbsc.p99}; DBSC ÷ plain ${f10.ratio}; the registration offer at sign-in p50 ${f10.offer.p50}, p99 ${f10.offer.p99}`,
      `    unbound sessions: the rotation statement with DBSC's predicate ÷ without it, per statement: ${f10.predicate.ratio} (p50 ${f10.predicate.with.p50} vs ${f10.predicate.without.p50} µs, p99 ${f10.predicate.with.p99} vs ${f10.predicate.without.p99}); the per-request check runs the same statements as before DBSC`,
    );
  }
  return lines;
}
