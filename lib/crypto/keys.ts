import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { getEnv } from '../env';

/** One version of the signing secret. */
export type SigningKey = {
  kid: string;
  secret: Uint8Array<ArrayBuffer>;
};

export type Keyring = {
  /** The newest key: it signs everything new. */
  current: SigningKey;
  /** Every known version, newest first. Lookups go through the Map only (no prototype keys). */
  byKid: ReadonlyMap<string, SigningKey>;
};

export const MIN_SECRET_BYTES = 32; // 256 bits (HS256 wants a key at least as long as its hash)
const KID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * Parses `v2:<base64url secret>,v1:<base64url secret>` (newest first). Refuses duplicate or
 * malformed versions and any secret shorter than 256 bits, with a message naming the entry.
 */
export function parseKeyring(spec: string): Keyring {
  const entries = spec.split(',').map((part) => part.trim()).filter(Boolean);
  if (entries.length === 0) throw new Error('SIGNET_KEYS is empty');
  const byKid = new Map<string, SigningKey>();
  for (const [index, entry] of entries.entries()) {
    const colon = entry.indexOf(':');
    const kid = colon > 0 ? entry.slice(0, colon) : '';
    const encoded = colon > 0 ? entry.slice(colon + 1) : '';
    // Name the entry by position, never by its text: without a version the text is the secret.
    if (!KID_PATTERN.test(kid)) throw new Error(`SIGNET_KEYS: entry ${index + 1} is not a valid key version:secret pair (the version is letters, digits, - and _)`);
    if (byKid.has(kid)) throw new Error(`SIGNET_KEYS: key version ${kid} appears twice`);
    if (!/^[A-Za-z0-9_-]+$/.test(encoded)) throw new Error(`SIGNET_KEYS: the secret of ${kid} is not base64url`);
    const secret = new Uint8Array(Buffer.from(encoded, 'base64url'));
    if (secret.length < MIN_SECRET_BYTES) {
      throw new Error(`SIGNET_KEYS: the secret of ${kid} has ${secret.length * 8} bits; at least 256 random bits are required`);
    }
    byKid.set(kid, { kid, secret });
  }
  const current = byKid.values().next().value as SigningKey;
  return { current, byKid };
}

/** A fresh keyring entry for `kid`, in the SIGNET_KEYS format. */
export function generateKeyEntry(kid: string): string {
  return `${kid}:${randomBytes(MIN_SECRET_BYTES).toString('base64url')}`;
}

/** Derives a purpose-bound subkey so the code HMAC never shares a key with JWT signing. */
export function deriveKey(key: SigningKey, purpose: string): Buffer {
  return createHmac('sha256', Buffer.from(key.secret)).update(`signet:${purpose}`).digest();
}

let cached: { spec: string; keyring: Keyring } | undefined;

/**
 * The keyring SIGNET_KEYS configures, or null when it is unset. Reads nothing from disk and
 * writes nothing: for commands that must not leave a development key behind.
 */
export function getConfiguredKeyring(): Keyring | null {
  const spec = getEnv().SIGNET_KEYS;
  return spec ? parseKeyring(spec) : null;
}

/**
 * The configured keyring. Outside production, with SIGNET_KEYS unset, a development key is
 * generated once and kept beside the database (git-ignored) so restarts keep people signed in.
 */
export function getKeyring(): Keyring {
  const env = getEnv();
  const spec = env.SIGNET_KEYS ?? developmentKeySpec(env.DATABASE_PATH);
  if (cached?.spec === spec) return cached.keyring;
  const keyring = parseKeyring(spec);
  cached = { spec, keyring };
  return keyring;
}

function developmentKeySpec(databasePath: string): string {
  const file = path.join(path.dirname(path.resolve(databasePath)), 'dev-keys');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    fs.writeFileSync(file, `${generateKeyEntry('dev1')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process (the proxy bundle, a second worker) wrote it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return fs.readFileSync(file, 'utf8').trim();
}
