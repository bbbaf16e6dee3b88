import { describe, expect, it } from 'vitest';
import { at, kidOf, signIn, uniqueEmail } from '@/test/helpers';
import { selectRows } from '@/test/inspect';
import { sessionRow } from '@/test/org-fixtures';
import { getStore } from '../store';
import { describeTokenSession, checkAccessToken } from './check';
import { getKeyring, parseKeyring, type Keyring } from '../crypto/keys';
import { countLiveSessionsOnKey, keyStatus, retireKey } from './key-rotation';
import { describeEnding } from '../web/notice';
import { rotateRefreshToken } from './refresh';

const store = () => getStore();
const POLICY = { accessTtlSeconds: 900, graceSeconds: 10 };

/** The test keyring is `t2,t1` (test/setup.ts); these are its parts. */
function entry(kid: string): string {
  const found = (process.env.SIGNET_KEYS ?? '').split(',').find((part) => part.startsWith(`${kid}:`));
  if (!found) throw new Error(`no ${kid} in test keyring`);
  return found;
}
const onlyT1 = (): Keyring => parseKeyring(entry('t1'));
const onlyT2 = (): Keyring => parseKeyring(entry('t2'));

/** A session signed in while t1 was the only key, i.e. before t2 was added. */
async function sessionOnT1(now: Date) {
  return signIn(uniqueEmail('before-rotation'), now, { keyring: onlyT1() });
}

describe('rotation: adding a key signs nobody out', () => {
  it('a session from before the rotation stays valid, and its next refresh moves it to the new key', async () => {
    const now = new Date();
    const old = await sessionOnT1(now);
    expect((await sessionRow(old.sessionId)).kid).toBe('t1');
    expect(kidOf(old.tokens.accessToken)).toBe('t1');

    // The keyring is now t2,t1: the t1 access token still verifies and the session is valid.
    expect((await checkAccessToken(getKeyring(), old.tokens.accessToken, at(now, 60), 300)).status).toBe('valid');

    const refreshed = await rotateRefreshToken(getKeyring(), old.tokens.refreshToken, POLICY, at(now, 1000));
    expect(refreshed.ok).toBe(true);
    if (!refreshed.ok) return;
    expect((await sessionRow(old.sessionId)).kid).toBe('t2');
    expect(kidOf(refreshed.tokens.accessToken)).toBe('t2');
    expect(kidOf(refreshed.tokens.refreshToken)).toBe('t2');
    expect((await checkAccessToken(getKeyring(), refreshed.tokens.accessToken, at(now, 1001), 300)).status).toBe('valid');
  });

  it('once the old key is gone from the keyring, its tokens get a clean "signed out" (null, never a throw)', async () => {
    const now = new Date();
    const old = await sessionOnT1(now);
    const withoutT1 = onlyT2();
    expect(await checkAccessToken(withoutT1, old.tokens.accessToken, at(now, 60), 300)).toEqual({ status: 'none' });
    await expect(rotateRefreshToken(withoutT1, old.tokens.refreshToken, POLICY, at(now, 60))).resolves.toEqual({ ok: false, error: 'invalid' });
    await expect(describeTokenSession(withoutT1, 'refresh', old.tokens.refreshToken, at(now, 60))).resolves.toEqual({ status: 'none' });
    // Nothing was revoked by the failed attempts: the row simply waits to expire or be retired.
    expect((await sessionRow(old.sessionId)).revokedAt).toBeNull();
  });
});

describe('key status', () => {
  it('counts live sessions per key version and marks the signing key', async () => {
    const now = new Date();
    const before = new Map((await keyStatus(await store(), getKeyring(), now)).map((row) => [row.kid, row.liveSessions]));
    await sessionOnT1(now);
    const ended = await sessionOnT1(now);
    await signIn(uniqueEmail('on-t2'), now);
    const scope = { kind: 'session', userId: ended.userId, sessionId: ended.sessionId, fromSessionId: null } as const;
    expect(await (await store()).revoke(scope, 'sign_out', now)).toEqual({ ok: true, ended: 1 }); // ended: not counted

    const status = await keyStatus(await store(), getKeyring(), now);
    expect(status.map((row) => [row.kid, row.signing, row.configured])).toEqual([
      ['t2', true, true],
      ['t1', false, true],
    ]);
    expect(status.find((row) => row.kid === 't1')?.liveSessions).toBe((before.get('t1') ?? 0) + 1);
    expect(status.find((row) => row.kid === 't2')?.liveSessions).toBe((before.get('t2') ?? 0) + 1);
    // Past every session's absolute end, nothing is live.
    expect((await keyStatus(await store(), getKeyring(), at(now, 400 * 86_400))).every((row) => row.liveSessions === 0)).toBe(true);
  });

  it('lists a version live sessions still name after it left the keyring', async () => {
    const now = new Date();
    await sessionOnT1(now);
    const status = await keyStatus(await store(), onlyT2(), now);
    expect(status.find((row) => row.kid === 't1')).toMatchObject({ configured: false, signing: false });
    expect(status.find((row) => row.kid === 't1')?.liveSessions).toBeGreaterThan(0);
  });
});

describe('retiring a key', () => {
  it('refuses the signing key and changes nothing', async () => {
    const now = new Date();
    const current = await signIn(uniqueEmail('current'), now);
    expect(await retireKey(await store(), getKeyring(), 't2', now)).toEqual({ ok: false, error: 'signing_key' });
    expect((await sessionRow(current.sessionId)).revokedAt).toBeNull();
  });

  it('ends only live sessions still on that key, with reason rotation and a clean notice', async () => {
    const now = new Date();
    const old = await sessionOnT1(now);
    const moved = await sessionOnT1(now);
    expect(await rotateRefreshToken(getKeyring(), moved.tokens.refreshToken, POLICY, at(now, 5))).toMatchObject({ ok: true }); // now on t2
    const fresh = await signIn(uniqueEmail('after-rotation'), now);
    const expected = await countLiveSessionsOnKey(await store(), 't1', at(now, 10));
    expect(expected).toBeGreaterThanOrEqual(1);

    expect(await retireKey(await store(), getKeyring(), 't1', at(now, 10))).toEqual({ ok: true, ended: expected });
    expect(await countLiveSessionsOnKey(await store(), 't1', at(now, 10))).toBe(0);
    expect(await sessionRow(old.sessionId)).toMatchObject({ revokedReason: 'rotation' });
    const events = await selectRows('SELECT * FROM security_events WHERE session_id = $1 ORDER BY id', [old.sessionId]);
    expect(events.at(-1)).toMatchObject({ type: 'key_retired', userId: old.userId, detail: 't1' });
    expect((await sessionRow(moved.sessionId)).revokedAt).toBeNull();
    expect((await sessionRow(fresh.sessionId)).revokedAt).toBeNull();

    const check = await checkAccessToken(getKeyring(), old.tokens.accessToken, at(now, 11), 300);
    expect(check.status).toBe('ended');
    if (check.status === 'ended') expect(describeEnding(check.notice).detail).toBe('Please sign in again.');
    expect(await rotateRefreshToken(getKeyring(), old.tokens.refreshToken, POLICY, at(now, 11))).toMatchObject({ ok: false, error: 'revoked' });
  });
});
