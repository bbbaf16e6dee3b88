/**
 * npm run keys -- status | generate [kid] | retire <kid> [--yes]
 * Reads SIGNET_KEYS and DATABASE_PATH like the server does (see docs/key-rotation.md).
 */
import readline from 'node:readline/promises';
import { getConfiguredKeyring, getKeyring } from '../lib/crypto/keys';
import { getEnv } from '../lib/env';
import { openStore } from '../lib/store';
import type { Store } from '../lib/store/types';
import { runKeysCommand } from './keys-command';

let opened: Promise<Store> | undefined;

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) {
    console.error('Not running in a terminal: pass --yes to confirm.');
    return false;
  }
  const prompt = readline.createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await prompt.question(question)).trim());
  } finally {
    prompt.close();
  }
}

runKeysCommand(process.argv.slice(2), {
  // An operator command never invents an empty database: the file must already exist.
  store: () => (opened ??= openStore(getEnv(), { mustExist: true })),
  keyring: getKeyring,
  configuredKeyring: getConfiguredKeyring,
  now: () => new Date(),
  io: { out: (line) => console.log(line), err: (line) => console.error(line), confirm },
})
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    console.error(`keys: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  })
  .finally(async () => (await opened?.catch(() => null))?.close());
