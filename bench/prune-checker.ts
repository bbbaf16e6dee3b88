/**
 * The other process of figure 6: runs the session check in a loop, the way a server would between
 * requests, and reports how long each check took before and during the prune.
 * Usage (forked by bench/prune.ts): prune-checker.ts <tokens.json> <last-seen interval s>, keys in
 * BENCH_SIGNET_KEYS, the database in DATABASE_PATH or DATABASE_URL (as a server would be given it).
 */
import fs from 'node:fs';
import { z } from 'zod';
import { checkAccessToken } from '../lib/auth/check';
import { parseKeyring } from '../lib/crypto/keys';
import { getEnv } from '../lib/env';
import { openStore } from '../lib/store';
import { configuredPolicy } from '../lib/web/context';
import { toChecker, type FromChecker, type PhaseStats } from './lib/checker-protocol';
import { nowMicros, quantile, round } from './lib/stats';

type Phase = { times: number[]; maxGap: number; invalid: number };

async function main(): Promise<void> {
  const [tokensFile, interval] = process.argv.slice(2);
  if (!tokensFile || !process.send) throw new Error('usage: forked with <tokens.json> <interval>');
  const lastSeenIntervalSeconds = z.coerce.number().int().min(1).parse(interval);
  const keyring = parseKeyring(process.env.BENCH_SIGNET_KEYS ?? '');
  const tokens = z.array(z.string()).parse(JSON.parse(fs.readFileSync(tokensFile, 'utf8')));
  const store = await openStore(getEnv(), { mustExist: true });
  const context = { store, keyring, policy: { ...configuredPolicy(), lastSeenIntervalSeconds }, now: () => new Date() };

  const before: Phase = { times: [], maxGap: 0, invalid: 0 };
  const during: Phase = { times: [], maxGap: 0, invalid: 0 };
  let phase = before;
  let stopping = false;
  // Orphaned (the benchmark died): stop rather than load the machine forever.
  process.on('disconnect', () => process.exit(0));
  process.on('message', (raw: unknown) => {
    const message = toChecker.safeParse(raw);
    if (!message.success) return;
    if (message.data.type === 'mark') phase = during;
    else stopping = true;
  });

  let lastEnd = nowMicros();
  for (let i = 0; !stopping; i += 1) {
    const token = tokens[i % tokens.length] as string;
    const start = nowMicros();
    const result = await checkAccessToken(context, token);
    const end = nowMicros();
    phase.times.push(end - start);
    // From one check's end to the next one's: the check itself plus any time the process waited.
    phase.maxGap = Math.max(phase.maxGap, end - lastEnd);
    if (result.status !== 'valid') phase.invalid += 1;
    lastEnd = end;
    if (i === 2_000) send({ type: 'ready' });
    // Give the event loop a turn (as a server does between requests), so messages get through.
    await new Promise((resolve) => setImmediate(resolve));
  }
  await store.close();
  send({ type: 'result', before: stats(before), during: stats(during) });
  process.removeAllListeners('disconnect');
  process.disconnect();
}

function stats(phase: Phase): PhaseStats {
  return {
    count: phase.times.length,
    p50: round(quantile(phase.times, 0.5)),
    p99: round(quantile(phase.times, 0.99)),
    maxMs: round(phase.times.reduce((max, t) => Math.max(max, t), 0) / 1000),
    maxGapMs: round(phase.maxGap / 1000),
    invalid: phase.invalid,
  };
}

function send(message: FromChecker): void {
  process.send?.(message);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
