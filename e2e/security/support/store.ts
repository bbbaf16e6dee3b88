/**
 * Lets a spec act on a server's database as another process of the deployment would (an
 * operator's command, a second instance): lib's own store, opened on that database for the
 * length of `work`, then closed again.
 */
import { resetEnvForTests } from '../../../lib/env';
import { closeStore, getStore } from '../../../lib/store';
import type { Store } from '../../../lib/store/types';

export type StoreTarget = { DATABASE_PATH: string } | { DATABASE_URL: string };

export async function withStore<T>(target: StoreTarget, work: (store: Store) => Promise<T>): Promise<T> {
  const saved = { DATABASE_PATH: process.env.DATABASE_PATH, DATABASE_URL: process.env.DATABASE_URL };
  await closeStore();
  delete process.env.DATABASE_URL;
  Object.assign(process.env, target);
  resetEnvForTests();
  try {
    return await work(await getStore());
  } finally {
    await closeStore();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    resetEnvForTests();
  }
}
