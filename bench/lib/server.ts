import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** Benchmark databases, logs and scratch files live under data/ (git-ignored); each run starts them afresh. */
export const BENCH_DIR = path.resolve('data/bench');

// Plain cookie names: the bench origin is http://127.0.0.1, so there is no __Host- prefix.
export const ACCESS = 'signet_at';
export const REFRESH = 'signet_rt';

/** Benchmarks share the machine with other servers: they only ever bind loopback ports 3600–3699. */
export const PORT_RANGE = { first: 3600, last: 3699 } as const;

export type RunningServer = {
  pid: number;
  origin: string;
  port: number;
  logFile: string;
  /** CPU time the server process has used so far, all threads, in microseconds. */
  cpuMicros: () => number;
  stop: () => Promise<void>;
};

/** The first free loopback port at or after `preferred`, within the bench range. */
export async function freePort(preferred: number): Promise<number> {
  for (let port = Math.max(preferred, PORT_RANGE.first); port <= PORT_RANGE.last; port += 1) {
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port in ${PORT_RANGE.first}-${PORT_RANGE.last}`);
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/**
 * The benchmark's own production build, in .next-bench: the app plus the unguarded twin of
 * GET /api/session (next.config.ts). `next build` and `next start` both need this variable.
 */
const BENCH_BUILD_ENV = { SIGNET_BENCH_BUILD: '1' } as const;
export const BENCH_BUILD_DIR = '.next-bench';

/** Runs `next build` once when there is no benchmark build yet (delete .next-bench to rebuild). */
export async function ensureBuild(): Promise<'built' | 'present'> {
  if (fs.existsSync(path.resolve(BENCH_BUILD_DIR, 'BUILD_ID'))) return 'present';
  console.log(`no benchmark build found: running next build into ${BENCH_BUILD_DIR} once`);
  const child = spawn(process.execPath, [require.resolve('next/dist/bin/next'), 'build'], {
    env: { ...process.env, ...BENCH_BUILD_ENV, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
    stdio: 'inherit',
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`next build failed (exit ${code})`);
  return 'built';
}

/**
 * `next start` in production mode on 127.0.0.1:<port> against the database `env` names
 * (DATABASE_PATH or DATABASE_URL, and anything else to override), its output kept in
 * data/bench/<name>.log. Resolves once /api/health answers.
 */
export async function startServer(options: { port: number; env: Record<string, string>; keys: string; name?: string }): Promise<RunningServer> {
  const origin = `http://127.0.0.1:${options.port}`;
  fs.mkdirSync(BENCH_DIR, { recursive: true });
  const logFile = path.join(BENCH_DIR, `${options.name ?? 'server'}.log`);
  const log = fs.createWriteStream(logFile);
  // The engine is the figure's to choose, never the shell's.
  const { DATABASE_URL: _url, DATABASE_PATH: _path, ...inherited } = process.env;
  // BENCH_CPU_PROF=<dir>: the server writes a V8 CPU profile there when it stops (node --cpu-prof).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...profile, require.resolve('next/dist/bin/next'), 'start', '-p', String(options.port), '-H', '127.0.0.1'], {
    env: {
      ...inherited,
      ...BENCH_BUILD_ENV,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      SIGNET_KEYS: options.keys,
      SIGNET_ORIGIN: origin,
      // Production insists that SMTP is configured; only the realistic mix sends mail (to its own sink).
      SMTP_URL: 'smtp://127.0.0.1:9',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitUntilHealthy(origin, child);
  const pid = child.pid;
  if (pid === undefined) throw new Error('the server has no pid');
  return { pid, origin, port: options.port, logFile, cpuMicros: () => processCpuMicros(pid), stop: () => stopChild(child, exited) };
}

/**
 * Sums the on-CPU time of every thread of `pid` (Linux schedstat, nanoseconds). Unlike requests
 * per second, CPU time per request barely moves when other processes compete for the cores.
 */
export function processCpuMicros(pid: number): number {
  let nanoseconds = 0;
  for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      nanoseconds += Number(fs.readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread ended between listing and reading
    }
  }
  return nanoseconds / 1000;
}

async function waitUntilHealthy(origin: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited during start-up (code ${child.exitCode}); see data/bench/server.log`);
    try {
      const response = await fetch(`${origin}/api/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error('the server did not become healthy within 60 s; see data/bench/server.log');
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
