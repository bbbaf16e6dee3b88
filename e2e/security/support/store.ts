/**
 * Lets a spec act on a server's database as another process of the deployment would (an
 * operator's command, a second instance): a store of its own on that database, handed to `work`
 * (and through a context to the use cases), then closed.
 */
import type { Context } from '../../../lib/auth/context';
import { completeSignIn, startChallenge } from '../../../lib/auth/sign-in';
import type { Keyring } from '../../../lib/crypto/keys';
import { openPostgresStore } from '../../../lib/store/postgres';
import { openSqliteStore } from '../../../lib/store/sqlite';
import type { Store } from '../../../lib/store/types';
import { POLICY } from '../../../test/policy';

export type StoreTarget = { DATABASE_PATH: string } | { DATABASE_URL: string };

export async function withStore<T>(target: StoreTarget, work: (store: Store) => Promise<T>): Promise<T> {
  // Opened directly rather than through getStore(), whose engine import the spec runner cannot follow.
  const store =
    'DATABASE_URL' in target
      ? await openPostgresStore({ url: target.DATABASE_URL, poolMax: 4, connectTimeoutMs: 5_000, statementTimeoutMs: 10_000 })
      : await openSqliteStore({ file: target.DATABASE_PATH, mustExist: true });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** Signs `email` in on `store` through the real code flow (challenge, code, transaction), as the server would. */
export async function seedSignIn(store: Store, keyring: Keyring, email: string, label: string) {
  const context: Context = { store, keyring, policy: POLICY, mailer: { send: async () => {} }, now: () => new Date() };
  const challenge = await startChallenge(context, email);
  const input = { challengeId: challenge.challengeId, code: challenge.code ?? '', deviceFingerprint: 'f'.repeat(64), deviceType: 'desktop' as const, deviceLabel: label, persistent: true };
  const result = await completeSignIn(context, input);
  if (!result.ok) throw new Error('could not seed a session');
  return result;
}

/** Asks for a code for `email` on `store`, as POST /sign-in/send would (no mail is sent). */
export async function seedChallenge(store: Store, keyring: Keyring, email: string) {
  return startChallenge({ store, keyring, policy: POLICY, mailer: { send: async () => {} }, now: () => new Date() }, email);
}
