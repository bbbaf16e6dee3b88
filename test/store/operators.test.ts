import { describe, expect, it } from 'vitest';
import { closeStore, getStore } from '@/lib/store';
import { at, context, newEmail, signIn } from './fixtures';

/** What operators call: liveSessionsByKid (L8), and closing the store. prune has its own file. */

const T0 = new Date('2031-11-01T06:00:00.000Z');

describe('liveSessionsByKid', () => {
  it('L8: counts the live sessions on each key version, not ended or expired ones', async () => {
    const store = await getStore();
    const [k1, k2, k3] = ['a', 'b', 'c'].map((name) => `${name}-${Date.now()}`) as [string, string, string];
    await signIn(newEmail('k1-a'), T0, { kid: k1 });
    await signIn(newEmail('k1-b'), T0, { kid: k1 });
    const ended = await signIn(newEmail('k1-ended'), T0, { kid: k1 });
    await store.revoke({ kind: 'session', userId: ended.userId, sessionId: ended.sessionId, fromSessionId: null }, 'sign_out', at(T0, 10));
    await signIn(newEmail('k2-live'), T0, { kid: k2 });
    await signIn(newEmail('k2-short'), T0, { kid: k2, lifetimeSeconds: 60 });
    await signIn(newEmail('k3-short'), T0, { kid: k3, lifetimeSeconds: 60 });

    const soon = await store.liveSessionsByKid(at(T0, 30));
    expect([soon.get(k1), soon.get(k2), soon.get(k3)]).toEqual([2, 2, 1]);
    const later = await store.liveSessionsByKid(at(T0, 60));
    expect([later.get(k1), later.get(k2), later.get(k3) ?? 0]).toEqual([2, 1, 0]);
    expect(later.get('never-used')).toBeUndefined();
  });
});

describe('close', () => {
  it('a store closed and opened again serves what was committed before', async () => {
    const first = await getStore();
    const signed = await signIn(newEmail('durable'), T0);
    await closeStore();
    const second = await getStore();
    expect(second).not.toBe(first);
    expect(second.engine).toBe(first.engine);
    expect(await context(signed.sessionId)).toMatchObject({ sessionId: signed.sessionId, userId: signed.userId, revokedAt: null });
  });
});
