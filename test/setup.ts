import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { generateKeyEntry } from '@/lib/auth/keys';
import { closeStore } from '@/lib/store';

// Every test file gets its own real SQLite file, migrated by the real migrations on first use.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signet-test-'));
Object.assign(process.env, {
  NODE_ENV: 'test',
  DATABASE_PATH: path.join(dir, 'signet.db'),
  SIGNET_KEYS: `${generateKeyEntry('t2')},${generateKeyEntry('t1')}`,
  SIGNET_ORIGIN: 'http://signet.test',
});
delete process.env.SMTP_URL;

afterAll(async () => {
  await closeStore();
  fs.rmSync(dir, { recursive: true, force: true });
});
