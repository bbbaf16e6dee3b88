/**
 * Dedicated production servers for the attack specs that need the server's own database file:
 * holding its write lock, adding triggers, making it read-only, or refusing to start at all.
 * Each server gets a fresh migrated database and a log under data/e2e-security/ (the privacy
 * spec scans those too). Specs that need none of that use `sharedServer` instead: each start
 * holds a worker for seconds of a 2-core run. Ports come from SIGNET_E2E_PORT_BASE + 40…60,
 * clear of the shared servers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from '@playwright/test';
import Database from 'better-sqlite3';
import { openDatabase } from '../../../lib/store/sqlite/connection';

const base = Number(process.env.SIGNET_E2E_PORT_BASE ?? 3200);
export const SMTP_PORT = base + 25;
export const SECURITY_PORTS = {
  faults: base + 40,
  readOnly: base + 41,
  https: base + 42,
  refusals: base + 43,
  ending: base + 47,
  instanceA: base + 48,
  instanceB: base + 49,
  refusalsPg: base + 50,
  invitationExpiry: base + 51,
  sendBudget: base + 53,
  pageFaults: base + 54,
  mailDown: base + 55,
  /** Nothing listens here: the mail-down server's SMTP_URL points at it. */
  closedSmtp: base + 56,
  /** DBSC: next start, and the TLS proxy in front of it (https://localhost). */
  dbsc: base + 57,
  dbscTls: base + 58,
  postgres: base + 60,
} as const;

export const DATA_DIR = path.resolve('data/e2e-security');
const NEXT_BIN = require.resolve('next/dist/bin/next');

export function newKeyring(kid = 'sec1'): string {
  return `${kid}:${randomBytes(32).toString('base64url')}`;
}

/** Extra or overriding environment (SIGNET_ORIGIN, SIGNET_KEYS...); undefined removes a variable. */
export type EnvOverrides = Record<string, string | undefined>;

export type ServerOptions = {
  port: number;
  env?: EnvOverrides;
  /** Runs on the migrated, closed database before the server opens it (seed rows, chmod...). */
  prepare?: (databaseFile: string, env: NodeJS.ProcessEnv) => void | Promise<void>;
  /**
   * Make file permissions bind the server even when the tests run as root (CI does): it is
   * started through setpriv without the capabilities that let root override them.
   */
  honourFilePermissions?: boolean;
};

export type RunningServer = {
  url: string;
  databaseFile: string;
  logFile: string;
  keys: string;
  /** A second connection to the server's database, as an operator or another process would have. */
  openDatabase(): Database.Database;
  /** One row of `sql` read through a short-lived second connection (undefined when none). */
  queryRow<T>(sql: string, ...params: unknown[]): T | undefined;
  stop(): Promise<void>;
};

function productionEnv(name: string, port: number, extra: EnvOverrides): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    DATABASE_PATH: path.join(DATA_DIR, `${name}.db`),
    SIGNET_KEYS: newKeyring(),
    SIGNET_ORIGIN: `http://127.0.0.1:${port}`,
    SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`,
    MAIL_FROM: 'Signet <no-reply@signet.test>',
    // Lifted for the specs, which sign in far faster than people; send-budget.spec.ts sets its own.
    CODE_SEND_BURST: '1000000',
    CODE_SENDS_PER_MINUTE: '1000000',
    ...extra,
  };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  return env;
}

type Spawned = { child: ChildProcess; /** Resolves with the exit code once the log is fully written. */ done: Promise<number | null> };

const ROOT_FILE_OVERRIDES = '-dac_override,-dac_read_search,-fowner';

function spawnNext(port: number, env: NodeJS.ProcessEnv, logFile: string, honourFilePermissions = false): Spawned {
  const log = fs.createWriteStream(logFile);
  const next = [process.execPath, NEXT_BIN, 'start', '-p', String(port), '-H', '127.0.0.1'];
  const command = honourFilePermissions && process.getuid?.() === 0 ? ['setpriv', '--bounding-set', ROOT_FILE_OVERRIDES, '--', ...next] : next;
  const child: ChildProcess = spawn(command[0] ?? '', command.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const done = new Promise<number | null>((resolve) => {
    child.on('close', (code: number | null) => log.end(() => resolve(code)));
  });
  return { child, done };
}

/** A fresh, migrated database file (and none of a previous run's WAL files). */
export function freshDatabase(name: string): string {
  const file = path.join(DATA_DIR, `${name}.db`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
  openDatabase(file, { mustExist: false }).sqlite.close();
  return file;
}

function openSecondConnection(databaseFile: string): Database.Database {
  const db = new Database(databaseFile);
  db.pragma('busy_timeout = 10000');
  return db;
}

function queryOnce<T>(databaseFile: string, sql: string, params: unknown[]): T | undefined {
  const db = openSecondConnection(databaseFile);
  try {
    return db.prepare(sql).get(...params) as T | undefined;
  } finally {
    db.close();
  }
}

/** Starts `next start` in production on a fresh database and waits until it answers. */
export async function startServer(name: string, options: ServerOptions): Promise<RunningServer> {
  const databaseFile = freshDatabase(name);
  const env = productionEnv(name, options.port, options.env ?? {});
  await options.prepare?.(databaseFile, env);
  const logFile = path.join(DATA_DIR, `${name}.log`);
  const { child, done } = spawnNext(options.port, env, logFile, options.honourFilePermissions);
  const url = `http://127.0.0.1:${options.port}`;
  // Typed by assertion: it is set in a callback, which narrowing from `= null` cannot see.
  let exited = null as number | null;
  void done.then((code) => {
    exited = code ?? -1;
  });
  for (let tries = 0; ; tries += 1) {
    if (exited !== null) throw new Error(`server ${name} exited with ${exited}: ${fs.readFileSync(logFile, 'utf8')}`);
    try {
      if ((await fetch(`${url}/sign-in`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (tries > 600) throw new Error(`server ${name} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    databaseFile,
    logFile,
    keys: env.SIGNET_KEYS ?? '',
    openDatabase: () => openSecondConnection(databaseFile),
    queryRow: <T>(sql: string, ...params: unknown[]) => queryOnce<T>(databaseFile, sql, params),
    async stop() {
      if (exited === null) child.kill('SIGTERM');
      await done;
    },
  };
}

/** Runs `next start` expecting it to refuse: resolves with its exit code and everything it printed. */
export async function startExpectingRefusal(name: string, port: number, env: EnvOverrides): Promise<{ code: number | null; output: string; answered: boolean }> {
  fs.mkdirSync(DATA_DIR, { recursive: true });
  const logFile = path.join(DATA_DIR, `${name}.log`);
  const { child, done } = spawnNext(port, productionEnv(name, port, env), logFile);
  let answered = false;
  // Keep asking for a page while it runs: a server that refuses to start must never answer one.
  const probe = (async () => {
    for (;;) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/sign-in`, { redirect: 'manual' });
        if (response.status < 500) answered = true;
      } catch {
        // not listening
      }
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await done;
  clearTimeout(timer);
  await probe;
  return { code, output: fs.readFileSync(logFile, 'utf8'), answered };
}

/**
 * The run's shared production server (the `default` project's, started by playwright.config.ts
 * through e2e/support/serve.ts), for HTTP specs that need nothing of their own: the default
 * environment, and a database they only read or change row by row for the people they sign in.
 * Every spec on it signs in fresh addresses (uniqueEmail), so none sees another's rows, codes or
 * limits. A spec that locks, breaks, seeds or reconfigures the database uses `dedicatedServer`.
 */
export function sharedServer(): () => RunningServer {
  const port = base + 1;
  const dir = path.resolve('data/e2e');
  const databaseFile = path.join(dir, 'default.db');
  const server: RunningServer = {
    url: `http://127.0.0.1:${port}`,
    databaseFile,
    logFile: path.join(dir, 'default.log'),
    keys: process.env.SIGNET_E2E_KEYS ?? '',
    openDatabase: () => openSecondConnection(databaseFile),
    queryRow: <T>(sql: string, ...params: unknown[]) => queryOnce<T>(databaseFile, sql, params),
    // Playwright stops it after the run.
    stop: async () => {},
  };
  return () => server;
}

/**
 * Registers a dedicated server for the spec file it is called in (started before its first test,
 * stopped after its last) and returns an accessor for it.
 */
export function dedicatedServer(name: string, options: ServerOptions): () => RunningServer {
  let server: RunningServer | undefined;

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    server = await startServer(name, options);
  });

  test.afterAll(async () => {
    await server?.stop();
  });

  return () => {
    if (!server) throw new Error(`server ${name} is not running`);
    return server;
  };
}
