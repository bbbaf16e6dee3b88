/**
 * Starts one production server (`next start`) for the browser tests on a fresh, migrated
 * database, writing its log to data/e2e/<name>.log (the privacy test scans it afterwards).
 * The server named `dev` is `next dev` instead, as a developer runs it (dev mailbox, no SMTP).
 * Usage: tsx e2e/support/serve.ts <name> <port>   (the environment carries the rest)
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../lib/store/sqlite/connection';

const [name, port] = process.argv.slice(2);
if (!name || !port) throw new Error('usage: serve.ts <name> <port>');
const dir = path.resolve('data/e2e');
fs.mkdirSync(dir, { recursive: true });
const database = path.join(dir, `${name}.db`);
for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${database}${suffix}`, { force: true });
openDatabase(database, { mustExist: false }).sqlite.close();

const logFile = fs.createWriteStream(path.join(dir, `${name}.log`));
const dev = name === 'dev';
// The development server listens where `npm run dev` does (every interface, reached as localhost).
const args = dev ? ['dev', '-p', port] : ['start', '-p', port, '-H', '127.0.0.1'];
const child = spawn(process.execPath, [require.resolve('next/dist/bin/next'), ...args], {
  env: { ...process.env, NODE_ENV: dev ? 'development' : 'production', DATABASE_PATH: database, NEXT_TELEMETRY_DISABLED: '1' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
for (const stream of [child.stdout, child.stderr]) {
  stream.on('data', (chunk: Buffer) => {
    logFile.write(chunk);
    process.stdout.write(chunk);
  });
}
const stop = () => child.kill('SIGTERM');
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
child.on('exit', (code) => process.exit(code ?? 0));
