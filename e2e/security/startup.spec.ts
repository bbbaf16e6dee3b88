import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { DATA_DIR, freshDatabase, newKeyring, SECURITY_PORTS, startExpectingRefusal, type EnvOverrides } from './support/server';

/**
 * T5 and R5: `next start` in production refuses to run with a weak or missing signing key or
 * without its database file, says why, and never answers a request in the meantime.
 */
test.describe.configure({ mode: 'serial' });

async function expectRefusal(name: string, env: EnvOverrides, message: RegExp): Promise<void> {
  const result = await startExpectingRefusal(name, SECURITY_PORTS.refusals, env);
  expect(result.code).not.toBe(0);
  expect(result.code).not.toBeNull();
  expect(result.output).toContain('Signet cannot start');
  expect(result.output).toMatch(message);
  expect(result.answered).toBe(false);
}

test('R5: production start against a missing database file refuses to start and creates no file', async () => {
  const missing = path.join(DATA_DIR, 'startup', 'absent', 'signet.db');
  fs.rmSync(path.dirname(missing), { recursive: true, force: true });
  await expectRefusal('startup-missing-db', { DATABASE_PATH: missing }, /database file .*absent\/signet\.db does not exist; create it with "npm run db:migrate"/);
  expect(fs.existsSync(missing)).toBe(false);
});

test('T5: production start with a key shorter than 256 bits refuses to start', async () => {
  const database = freshDatabase('startup-weak-key');
  const weak = `k1:${Buffer.alloc(16, 7).toString('base64url')}`;
  await expectRefusal('startup-weak-key', { DATABASE_PATH: database, SIGNET_KEYS: weak }, /the secret of k1 has 128 bits; at least 256 random bits are required/);
});

test('T5: production start without SIGNET_KEYS refuses to start', async () => {
  const database = freshDatabase('startup-no-key');
  await expectRefusal('startup-no-key', { DATABASE_PATH: database, SIGNET_KEYS: undefined }, /production requires SIGNET_KEYS/);
});

test('T5: production start with a malformed keyring (no version, a repeated version) refuses to start', async () => {
  const database = freshDatabase('startup-bad-keyring');
  const entry = newKeyring('k1');
  const secret = entry.split(':')[1] ?? '';
  await expectRefusal('startup-keyring-unversioned', { DATABASE_PATH: database, SIGNET_KEYS: secret }, /entry 1 is not a valid key version:secret pair/);
  // The refusal names the entry without echoing any of the secret it holds.
  expect(fs.readFileSync(path.join(DATA_DIR, 'startup-keyring-unversioned.log'), 'utf8')).not.toContain(secret.slice(0, 6));
  await expectRefusal('startup-keyring-repeated', { DATABASE_PATH: database, SIGNET_KEYS: `${entry},${entry}` }, /key version k1 appears twice/);
});
