/**
 * npm run dev:pg — `next dev` on PostgreSQL with nothing to set up. An embedded PostgreSQL keeps
 * its data in data/pg/ (created on the first run, reused after), listens on 127.0.0.1:54329
 * (SIGNET_DEV_PG_PORT moves it), is migrated as a release would be (migratePostgres), and then
 * `next dev` runs with DATABASE_URL pointing at it. Arguments pass through to next dev
 * (`npm run dev:pg -- --port 3001`). PostgreSQL stops when next exits, or on Ctrl-C / SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createDatabaseIfMissing, migratePostgres } from '../lib/store/postgres';
import { CREATE_POSTGRES_USER, loadEmbeddedPostgres } from './support/embedded-postgres';

const DATA_DIR = path.resolve('data', 'pg');
const PORT = Number(process.env.SIGNET_DEV_PG_PORT ?? 54329);
// A development server on the loopback interface: the password only has to be the same each run.
const PASSWORD = 'signet-dev';
const DATABASE = 'signet';
const url = (database: string) => `postgres://postgres:${PASSWORD}@127.0.0.1:${PORT}/${database}`;

type Server = { start(): Promise<void>; stop(): Promise<void>; initialise(): Promise<void> };

async function main(): Promise<void> {
  if (!Number.isInteger(PORT) || PORT < 1 || PORT > 65_535) throw new Error(`SIGNET_DEV_PG_PORT must be a port number, not "${process.env.SIGNET_DEV_PG_PORT}"`);
  const recent: string[] = [];
  const server = await embeddedPostgres((message) => {
    recent.push(String(message).trim());
    if (recent.length > 20) recent.shift();
  });

  let next: ChildProcess | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= stopServer(server));
  // Ctrl-C reaches next (and PostgreSQL) from the terminal; a signal sent to this process alone is
  // passed on to next, whose exit then stops PostgreSQL. Before next runs, it stops PostgreSQL.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => (next ? next.kill(signal) : void stop().finally(() => process.exit(1))));
  }

  if (!fs.existsSync(path.join(DATA_DIR, 'PG_VERSION'))) {
    // initdb wants an empty directory: what an interrupted first run left is cleared.
    fs.rmSync(DATA_DIR, { recursive: true, force: true });
    console.log(`dev:pg: creating a PostgreSQL cluster in ${path.relative(process.cwd(), DATA_DIR)}/ (first run only)`);
    await server.initialise();
  }
  try {
    await server.start();
  } catch {
    throw new Error(`PostgreSQL did not start on port ${PORT} (another dev:pg running? SIGNET_DEV_PG_PORT moves it):\n  ${recent.filter(Boolean).slice(-5).join('\n  ')}`);
  }

  try {
    await createDatabaseIfMissing(url('postgres'), DATABASE);
    await migratePostgres(url(DATABASE));
    console.log(`dev:pg: PostgreSQL on 127.0.0.1:${PORT}, database "${DATABASE}", migrated; data in ${path.relative(process.cwd(), DATA_DIR)}/`);
  } catch (error) {
    await stop();
    throw error;
  }

  next = spawn(process.execPath, [require.resolve('next/dist/bin/next'), 'dev', ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: url(DATABASE) },
  });
  next.on('exit', (code, signal) => {
    void stop().finally(() => process.exit(code ?? (signal ? 1 : 0)));
  });
}

/** The embedded-postgres server; this script stops it itself, after next. */
async function embeddedPostgres(onLog: (message: unknown) => void): Promise<Server> {
  const EmbeddedPostgres = await loadEmbeddedPostgres({ keepSignals: false });
  return new EmbeddedPostgres({
    databaseDir: DATA_DIR,
    port: PORT,
    user: 'postgres',
    password: PASSWORD,
    persistent: true,
    createPostgresUser: CREATE_POSTGRES_USER,
    onLog,
    onError: onLog,
  });
}

/** Stops the server unless it is already gone (Ctrl-C reaches it directly), waiting 10 s at most. */
async function stopServer(server: Server): Promise<void> {
  const child = (server as unknown as { process?: ChildProcess }).process;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await Promise.race([server.stop().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
}


main().catch((error: unknown) => {
  console.error(`dev:pg: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
