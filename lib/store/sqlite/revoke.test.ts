// The SQLite engine's key retirement underneath: small transactions, the event loop served between them.
import { describe, expect, it, vi } from 'vitest';
import { parseKeyring } from '@/lib/crypto/keys';
import { getStore } from '@/lib/store';
import { at, signIn, uniqueEmail } from '@/test/helpers';
import { selectRows } from '@/test/inspect';
import { KEY_BATCH_SIZE, SqliteStore } from './index';

const T0 = new Date('2030-06-01T12:00:00.000Z');

/** The process's store, which these tests look underneath. */
async function sqliteStore(): Promise<SqliteStore> {
  const store = await getStore();
  if (!(store instanceof SqliteStore)) throw new Error(`expected the SQLite store, got ${store.engine}`);
  return store;
}

/** The test keyring is `t2,t1` (test/setup.ts); a keyring of t1 alone signs sessions onto t1. */
function onlyT1() {
  const entry = (process.env.SIGNET_KEYS ?? '').split(',').find((part) => part.startsWith('t1:'));
  if (!entry) throw new Error('no t1 in test keyring');
  return parseKeyring(entry);
}

describe('sqlite revoke: retiring a key', () => {
  it(`ends every live session on the key, ${KEY_BATCH_SIZE} per transaction, letting other work run between batches`, async () => {
    const store = await sqliteStore();
    const { sqlite } = store.connection;
    const first = await signIn(uniqueEmail('retired-key'), T0, { keyring: onlyT1() });
    const kept = await signIn(uniqueEmail('kept-key'), T0);
    // Copies of the t1 session, so the key has more sessions than two batches hold.
    const columns = `user_id, org_id, kid, device_fingerprint, device_label, device_type, access_expires_at, refresh_expires_at, created_at,
      revoked_at, revoked_reason, refresh_generation, refresh_rotated_at, last_seen_at, persistent, revoked_elsewhere`;
    const total = 2 * KEY_BATCH_SIZE + 1;
    sqlite.transaction(() => {
      const copy = sqlite.prepare(`INSERT INTO sessions (id, ${columns}) SELECT ?, ${columns} FROM sessions WHERE id = ?`);
      for (let i = 1; i < total; i += 1) copy.run(`retired-${String(i).padStart(16, '0')}`, first.sessionId);
    })();
    expect((await store.liveSessionsByKid(at(T0, 10))).get('t1')).toBe(total);

    const transactions = vi.spyOn(sqlite, 'transaction');
    const order: string[] = [];
    setImmediate(() => order.push('other work'));
    try {
      const result = await store.revoke({ kind: 'key', kid: 't1' }, 'rotation', at(T0, 10));
      order.push('retired');
      expect(result).toEqual({ ok: true, ended: total });
      // 500, 500, then the short batch that says it is done.
      expect(transactions).toHaveBeenCalledTimes(Math.ceil(total / KEY_BATCH_SIZE));
    } finally {
      transactions.mockRestore();
    }
    expect(order).toEqual(['other work', 'retired']);
    expect((await store.liveSessionsByKid(at(T0, 10))).get('t1')).toBeUndefined();
    expect(await selectRows("SELECT id FROM sessions WHERE kid = 't1' AND (revoked_reason IS NULL OR revoked_reason <> 'rotation')")).toEqual([]);
    expect(await selectRows("SELECT id FROM security_events WHERE type = 'key_retired' AND detail = 't1'")).toHaveLength(total);
    expect((await store.findSessionForCheck(kept.sessionId))?.revokedAt).toBeNull();
    expect(await store.revoke({ kind: 'key', kid: 't1' }, 'rotation', at(T0, 20))).toEqual({ ok: true, ended: 0 });
  });
});
