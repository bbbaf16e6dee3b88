// The store's writes let SQLite checkpoint its WAL: the fast-path rotation keeps the log short.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOMY_BUDGET } from '@/test/helpers';
import { openSqliteStore, type SqliteStore } from './index';

const T0 = new Date('2031-11-01T12:00:00.000Z');
const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);
let store: SqliteStore;

beforeAll(async () => {
  store = await openSqliteStore({ file: process.env.DATABASE_PATH ?? '', mustExist: false });
});
afterAll(() => store.close());

describe('wal: the rotation lets SQLite checkpoint', () => {
  it('each fast-path rotation runs to completion, so the automatic checkpoint keeps the WAL short', async () => {
    // SQLite runs its automatic checkpoint only when a statement steps to the end; an UPDATE
    // ... RETURNING read for its first row and then reset never triggers it, and a server doing
    // nothing but refreshes grew its WAL without bound (70 MB in one benchmark run). Each write
    // now ends with the lock's COMMIT, which steps to the end too: this guards the property.
    const { sqlite } = store.connection;
    const before = sqlite.pragma('wal_autocheckpoint', { simple: true });
    sqlite.pragma('wal_autocheckpoint = 1');
    try {
      await store.createChallenge({ id: 'wal-challenge', email: 'wal@example.test', codeHmac: 'ab', kid: 't1', expiresAt: at(600) }, T0, ROOMY_BUDGET);
      const device = { fingerprint: 'f'.repeat(64), label: null, type: 'desktop' as const, persistent: true };
      const signedIn = await store.confirmSignIn(
        { challengeId: 'wal-challenge', codeMatches: () => true, device, kid: 't1', accessExpiresAt: at(900), refreshExpiresAt: at(86_400) },
        T0,
      );
      if (!signedIn) throw new Error('sign-in refused');
      sqlite.pragma('wal_checkpoint(TRUNCATE)');
      for (let generation = 0; generation < 20; generation += 1) {
        const input = { sessionId: signedIn.sessionId, userId: signedIn.userId, generation, accessExpiresAt: at(2000), kid: 't1', graceSeconds: 10 };
        expect(await store.rotateRefresh(input, at(100 * (generation + 1)))).toEqual({ outcome: 'rotated', persistent: true });
      }
      const [state] = sqlite.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number }>;
      expect(state?.log).toBeLessThan(10);
    } finally {
      sqlite.pragma(`wal_autocheckpoint = ${String(before)}`);
    }
  });
});
