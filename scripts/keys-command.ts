import { countLiveSessionsOnKey, keyStatus, retireKey } from '../lib/auth/key-rotation';
import { generateKeyEntry, parseKeyring, type Keyring } from '../lib/crypto/keys';
import type { Store } from '../lib/store/types';

/** `npm run keys -- …`: the operator's view of SIGNET_KEYS. The entry point is scripts/keys.ts. */

export type KeysIo = { out: (line: string) => void; err: (line: string) => void; confirm: (question: string) => Promise<boolean> };
export type KeysDeps = {
  store: () => Promise<Store>;
  keyring: () => Keyring;
  /** SIGNET_KEYS alone, or null: `generate` prints a secret and must never create one on disk. */
  configuredKeyring: () => Keyring | null;
  now: () => Date;
  io: KeysIo;
};

export const USAGE = [
  'Usage: npm run keys -- <command>',
  '  status                 each key version with its live sessions (newest first)',
  '  generate [kid]         print a new key entry to put first in SIGNET_KEYS',
  '  retire <kid> [--yes]   end the live sessions still on <kid> (reason "rotation")',
].join('\n');

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Runs one command and returns the process exit code (0 done, 1 refused or cancelled, 2 usage). */
export async function runKeysCommand(argv: string[], deps: KeysDeps): Promise<number> {
  const [command, ...rest] = argv;
  const args = rest.filter((arg) => !arg.startsWith('--'));
  if (command === 'status' && args.length === 0) return status(deps);
  if (command === 'generate' && args.length <= 1) return generate(deps, args[0]);
  if (command === 'retire' && args.length === 1 && args[0]) return retire(deps, args[0], rest.includes('--yes'));
  deps.io.err(USAGE);
  return 2;
}

async function status({ store, keyring, now, io }: KeysDeps): Promise<number> {
  const rows = await keyStatus({ store: await store(), keyring: keyring(), now });
  const width = Math.max(...rows.map((row) => row.kid.length), 3);
  io.out(`${'key'.padEnd(width)}  live sessions`);
  for (const row of rows) {
    const note = row.signing ? '  signing key' : row.configured ? '' : '  not in SIGNET_KEYS: these sessions can no longer verify';
    io.out(`${row.kid.padEnd(width)}  ${String(row.liveSessions).padStart(13)}${note}`);
  }
  return 0;
}

function generate({ configuredKeyring, io }: KeysDeps, requested: string | undefined): number {
  let configured: Keyring | null;
  try {
    configured = configuredKeyring();
  } catch {
    configured = null; // a malformed SIGNET_KEYS: the server names the problem; this prints a fresh key
  }
  const kid = requested ?? nextKid(configured?.current.kid);
  if (configured?.byKid.has(kid)) {
    io.err(`${kid} is already in SIGNET_KEYS; choose another version name.`);
    return 1;
  }
  let entry: string;
  try {
    entry = generateKeyEntry(kid);
    parseKeyring(entry); // the same checks the server makes at start-up
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 1;
  }
  io.out(entry);
  io.err(`Put it first in SIGNET_KEYS, before the keys you have now: SIGNET_KEYS=${kid}:<secret>,${configured?.current.kid ?? '…'}:<secret>,…`);
  io.err('The first key signs; the others keep verifying, so nobody is signed out. See docs/key-rotation.md.');
  return 0;
}

/** v2 → v3, dev1 → dev2; anything else gets a 2 appended. */
export function nextKid(current: string | undefined): string {
  if (!current) return 'v1';
  const match = /^(.*?)(\d+)$/.exec(current);
  return match ? `${match[1]}${Number(match[2]) + 1}` : `${current}2`;
}

async function retire({ store, keyring, now, io }: KeysDeps, kid: string, confirmed: boolean): Promise<number> {
  const ring = keyring();
  if (kid === ring.current.kid) {
    io.err(`${kid} is the signing key and cannot be retired. Add a newer key first (npm run keys -- generate), deploy it, then retire ${kid}.`);
    return 1;
  }
  const operator = { store: await store(), keyring: ring, now };
  const live = await countLiveSessionsOnKey(operator, kid);
  io.out(`${plural(live, 'live session')} still on ${kid}${ring.byKid.has(kid) ? '' : ' (not in SIGNET_KEYS)'}.`);
  if (live > 0) {
    const go = confirmed || (await io.confirm(`End ${live === 1 ? 'it' : 'them'} now? Each device will be asked to sign in again. [y/N] `));
    if (!go) {
      io.out('Nothing changed.');
      return 1;
    }
    const result = await retireKey(operator, kid);
    if (!result.ok) return 1;
    io.out(`Ended ${plural(result.ended, 'session')} on ${kid} (reason: rotation).`);
  }
  if (ring.byKid.has(kid)) io.out(`Now remove ${kid} from SIGNET_KEYS and restart the app.`);
  return 0;
}
