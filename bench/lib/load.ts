import autocannon from 'autocannon';
import { median, round } from './stats';

/** One side of a comparison: a request shape, with optional per-connection setup. */
export type LoadTarget = {
  label: string;
  path: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Called for each new connection with its index (0..connections-1) in this round. */
  setupClient?: (client: autocannon.Client, index: number) => void;
  /** Called before each round, e.g. to hand every connection a fresh session. */
  beforeRound?: () => void | Promise<void>;
};

export type RoundResult = {
  rps: number;
  ok: number;
  non2xx: number;
  errors: number;
  cpuPerRequest: number;
  bytesPerResponse: number;
  statusCodes: Record<string, number>;
};

export type LoadSettings = { connections: number; seconds: number };

/** The server under load: where it listens and how much CPU it has used so far (µs). */
export type Target = { origin: string; cpuMicros: () => number };

/** One bounded autocannon run (fixed connections and duration) against `origin`. */
export async function runRound(server: Target, target: LoadTarget, settings: LoadSettings): Promise<RoundResult> {
  await target.beforeRound?.();
  let next = 0;
  const setup = target.setupClient;
  const cpuBefore = server.cpuMicros();
  const result = await autocannon({
    url: `${server.origin}${target.path}`,
    method: target.method ?? 'GET',
    headers: target.headers ?? {},
    connections: settings.connections,
    duration: settings.seconds,
    timeout: 10,
    ...(setup ? { setupClient: (client: autocannon.Client) => setup(client, next++) } : {}),
  });
  const cpu = server.cpuMicros() - cpuBefore;
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats)) statusCodes[code] = stat.count;
  const answered = result['2xx'] + result.non2xx;
  return {
    rps: result['2xx'] / result.duration,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    cpuPerRequest: answered > 0 ? cpu / answered : Number.NaN,
    bytesPerResponse: answered > 0 ? result.throughput.total / answered : Number.NaN,
    statusCodes,
  };
}

export type Comparison = {
  a: string;
  b: string;
  rounds: Array<{ a: RoundResult; b: RoundResult; ratio: number; cpuRatio: number }>;
  /** Median over rounds of rps(b) ÷ rps(a): drift between rounds cancels inside each pair. */
  ratio: number;
  /** Median over rounds of server CPU per request, a ÷ b: the same question, far less noisy. */
  cpuRatio: number;
  aCpuPerRequest: number;
  bCpuPerRequest: number;
  /** Response size, head and body, as read by the load generator. */
  bytes: { a: number; b: number };
  aRps: number;
  bRps: number;
  non2xx: { a: number; b: number };
  errors: { a: number; b: number };
};

/**
 * Runs A and B alternately (A B, B A, A B, ...) so slow drift of a shared machine affects both
 * sides alike, after one unrecorded warm-up of each. The figure is the median per-pair ratio B÷A.
 */
export async function compare(server: Target, a: LoadTarget, b: LoadTarget, settings: LoadSettings & { pairs: number }): Promise<Comparison> {
  const warm = { connections: settings.connections, seconds: 3 };
  await runRound(server, a, warm);
  await runRound(server, b, warm);
  const rounds: Comparison['rounds'] = [];
  for (let i = 0; i < settings.pairs; i += 1) {
    const order = i % 2 === 0 ? [a, b] : [b, a];
    const first = await runRound(server, order[0] as LoadTarget, settings);
    const second = await runRound(server, order[1] as LoadTarget, settings);
    const [ra, rb] = i % 2 === 0 ? [first, second] : [second, first];
    const pair = { a: ra, b: rb, ratio: rb.rps / ra.rps, cpuRatio: ra.cpuPerRequest / rb.cpuPerRequest };
    rounds.push(pair);
    process.stdout.write(
      `  pair ${i + 1}/${settings.pairs}: ${a.label} ${Math.round(ra.rps)} req/s (${Math.round(ra.cpuPerRequest)} µs CPU), ` +
        `${b.label} ${Math.round(rb.rps)} req/s (${Math.round(rb.cpuPerRequest)} µs CPU), ratio ${round(pair.ratio, 3)}, CPU ratio ${round(pair.cpuRatio, 3)}\n`,
    );
  }
  const sum = (side: 'a' | 'b', key: 'non2xx' | 'errors') => rounds.reduce((total, round) => total + round[side][key], 0);
  return {
    a: a.label,
    b: b.label,
    rounds,
    ratio: median(rounds.map((r) => r.ratio)),
    cpuRatio: median(rounds.map((r) => r.cpuRatio)),
    aCpuPerRequest: median(rounds.map((r) => r.a.cpuPerRequest)),
    bCpuPerRequest: median(rounds.map((r) => r.b.cpuPerRequest)),
    bytes: { a: Math.round(median(rounds.map((r) => r.a.bytesPerResponse))), b: Math.round(median(rounds.map((r) => r.b.bytesPerResponse))) },
    aRps: median(rounds.map((r) => r.a.rps)),
    bRps: median(rounds.map((r) => r.b.rps)),
    non2xx: { a: sum('a', 'non2xx'), b: sum('b', 'non2xx') },
    errors: { a: sum('a', 'errors'), b: sum('b', 'errors') },
  };
}
