import { describe, expect, it } from 'vitest';
import { at, signIn, uniqueEmail } from '@/test/helpers';
import { getKeyring, parseKeyring, type Keyring } from '../crypto/keys';
import { getStore } from '../store';
import { keyStatus } from './key-rotation';

/**
 * What `npm run keys` shows. Adding and retiring keys (L8) is proven in test/security/:
 * tokens.test.ts (a new key signs nobody out; a kid no longer in the keyring) and ending.test.ts
 * (retiring ends only the sessions still on the key, and refuses the signing key).
 */

/** The test keyring is `t2,t1` (test/setup.ts); these are its parts. */
function entry(kid: string): string {
  const found = (process.env.SIGNET_KEYS ?? '').split(',').find((part) => part.startsWith(`${kid}:`));
  if (!found) throw new Error(`no ${kid} in test keyring`);
  return found;
}
const onlyT1 = (): Keyring => parseKeyring(entry('t1'));
const onlyT2 = (): Keyring => parseKeyring(entry('t2'));
const statusAt = async (now: Date, keyring = getKeyring()) => keyStatus({ store: await getStore(), keyring, now: () => now });

/** A session signed in while t1 was the only key, i.e. before t2 was added. */
const sessionOnT1 = (now: Date) => signIn(uniqueEmail('before-rotation'), now, { keyring: onlyT1() });

describe('key status', () => {
  it('counts live sessions per key version and marks the signing key', async () => {
    const now = new Date();
    const before = new Map((await statusAt(now)).map((row) => [row.kid, row.liveSessions]));
    await sessionOnT1(now);
    const ended = await sessionOnT1(now);
    await signIn(uniqueEmail('on-t2'), now);
    const scope = { kind: 'session', userId: ended.userId, sessionId: ended.sessionId, fromSessionId: null } as const;
    expect(await (await getStore()).revoke(scope, 'sign_out', now)).toEqual({ ok: true, ended: 1 }); // ended: not counted

    const status = await statusAt(now);
    expect(status.map((row) => [row.kid, row.signing, row.configured])).toEqual([
      ['t2', true, true],
      ['t1', false, true],
    ]);
    expect(status.find((row) => row.kid === 't1')?.liveSessions).toBe((before.get('t1') ?? 0) + 1);
    expect(status.find((row) => row.kid === 't2')?.liveSessions).toBe((before.get('t2') ?? 0) + 1);
    // Past every session's absolute end, nothing is live.
    expect((await statusAt(at(now, 400 * 86_400))).every((row) => row.liveSessions === 0)).toBe(true);
  });

  it('lists a version live sessions still name after it left the keyring', async () => {
    const now = new Date();
    await sessionOnT1(now);
    const status = await statusAt(now, onlyT2());
    expect(status.find((row) => row.kid === 't1')).toMatchObject({ configured: false, signing: false });
    expect(status.find((row) => row.kid === 't1')?.liveSessions).toBeGreaterThan(0);
  });
});
