import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS_PER_CODE, MAX_SENDS_PER_WINDOW } from '@/lib/rules';
import { randomId } from '@/lib/ids';
import { getStore, type Rotation } from '@/lib/store';
import { at, CODE, confirmInput, context, events, iso, newEmail, openEmail, ROOMY_BUDGET, rotate, sendCode, signIn } from './fixtures';
import { count } from '@/test/inspect';

/**
 * The concurrency contracts, with real parallel calls: on PostgreSQL each runs on its own pooled
 * connection (PG_POOL_MAX=25 in the postgres project); on SQLite they interleave through the
 * engine's lock. The answers must be the same.
 */

const T0 = new Date('2031-12-01T10:00:00.000Z');
const times = <T>(n: number, call: (i: number) => Promise<T>): Promise<T[]> => Promise.all(Array.from({ length: n }, (_, i) => call(i)));
const tally = (rotations: Rotation[]) => rotations.reduce<Record<string, number>>((t, r) => ({ ...t, [r.outcome]: (t[r.outcome] ?? 0) + 1 }), {});

describe('concurrency contracts', () => {
  it('L4: 20 concurrent rotations of one refresh token → exactly 1 rotated and 19 grace, 50 rounds in a row', async () => {
    const signed = await signIn(newEmail('tabs'), T0);
    for (let round = 0; round < 50; round += 1) {
      const now = at(T0, 60 * (round + 1));
      const outcomes = tally(await times(20, () => rotate(signed, round, now)));
      expect(outcomes, `round ${round}`).toEqual({ rotated: 1, grace: 19 });
    }
    expect((await context(signed.sessionId))?.revokedAt).toBeNull();
    expect(await rotate(signed, 50, at(T0, 60 * 51 + 30))).toMatchObject({ outcome: 'rotated' });
  }, 120_000);

  it('L3: 10 concurrent replays after the grace window → all revoked (reuse_detected); the session is ended once, with one event', async () => {
    const signed = await signIn(newEmail('replays'), T0);
    expect(await rotate(signed, 0, at(T0, 60))).toMatchObject({ outcome: 'rotated' });
    const T1 = at(T0, 100);
    const answers = await times(10, () => rotate(signed, 0, T1));
    for (const answer of answers) expect(answer).toMatchObject({ outcome: 'revoked', notice: { reason: 'reuse_detected', at: iso(T1) } });
    expect(await context(signed.sessionId)).toMatchObject({ revokedAt: iso(T1), revokedReason: 'reuse_detected' });
    expect(await events({ userId: signed.userId }, 'refresh_reuse_detected')).toHaveLength(1);
  });

  it('L4: a refresh racing a sign-out always ends revoked (20 sessions)', async () => {
    const store = await getStore();
    const people = await times(20, (i) => signIn(newEmail(`race-${i}`), T0));
    await Promise.all(
      people.map(async (signed) => {
        const T1 = at(T0, 60);
        const [rotation, revoked] = await Promise.all([
          rotate(signed, 0, T1),
          store.revoke({ kind: 'session', userId: signed.userId, sessionId: signed.sessionId, fromSessionId: null }, 'sign_out', T1),
        ]);
        expect(revoked).toEqual({ ok: true, ended: 1 });
        expect(['rotated', 'revoked']).toContain(rotation.outcome);
        expect((await context(signed.sessionId))?.revokedReason).toBe('sign_out');
        expect(await rotate(signed, 1, at(T1, 1))).toMatchObject({ outcome: 'revoked', notice: { reason: 'sign_out' } });
      }),
    );
  });

  it(`C3: 20 concurrent codes for one address → exactly ${MAX_SENDS_PER_WINDOW} sent, and only one of them open`, async () => {
    const store = await getStore();
    const email = newEmail('burst');
    const ids = Array.from({ length: 20 }, () => randomId());
    const sent = await Promise.all(ids.map((id) => store.createChallenge({ id, email, codeHmac: CODE, kid: 't2', expiresAt: at(T0, 600) }, T0, ROOMY_BUDGET)));
    expect(sent.filter((outcome) => outcome === 'sent')).toHaveLength(MAX_SENDS_PER_WINDOW);
    expect(sent.filter((outcome) => outcome === 'address_capped')).toHaveLength(20 - MAX_SENDS_PER_WINDOW);
    const open = await Promise.all(ids.map((id) => openEmail(id, at(T0, 1))));
    expect(open.filter((value) => value === email)).toHaveLength(1);
    expect(await count('SELECT count(*) AS n FROM sign_in_challenges WHERE email = $1', [email])).toBe(MAX_SENDS_PER_WINDOW);
  });

  it(`C3: 50 wrong guesses at once → at most ${MAX_ATTEMPTS_PER_CODE} evaluated, then the right code is refused`, async () => {
    const store = await getStore();
    const id = await sendCode(newEmail('guesses'), T0);
    let evaluated = 0;
    const guess = (): boolean => {
      evaluated += 1;
      return false;
    };
    const answers = await times(50, () => store.confirmSignIn(confirmInput(id, at(T0, 1), {}, guess), at(T0, 1)));
    expect(answers.every((answer) => answer === null)).toBe(true);
    expect(evaluated).toBeLessThanOrEqual(MAX_ATTEMPTS_PER_CODE);
    expect(await store.confirmSignIn(confirmInput(id, at(T0, 2)), at(T0, 2))).toBeNull();
  });

  it('C4: the same code confirmed 10 times at once → exactly one session', async () => {
    const store = await getStore();
    const email = newEmail('double-submit');
    const id = await sendCode(email, T0);
    const answers = await times(10, () => store.confirmSignIn(confirmInput(id, at(T0, 1)), at(T0, 1)));
    const signedIn = answers.filter((answer) => answer !== null);
    expect(signedIn).toHaveLength(1);
    expect((await store.listDevices(signedIn[0]!.userId, at(T0, 2), T0, 10)).live).toHaveLength(1);
    expect(await count('SELECT count(*) AS n FROM users WHERE email = $1', [email])).toBe(1);
  });

  it('C4: 10 concurrent first sign-ins of one new address (10 open codes) → one user with one personal org, 10 sessions', async () => {
    const store = await getStore();
    const email = newEmail('first-race');
    // Only one code per address is ever open at a time; each of these is issued 20 minutes after the
    // last (past the throttle window and that code's expiry) and confirmed 1 s after its own issue.
    const issued: Array<{ id: string; now: Date }> = [];
    for (let i = 0; i < 10; i += 1) {
      const now = at(T0, i * 1200);
      issued.push({ id: await sendCode(email, now), now });
    }
    const answers = await Promise.all(issued.map(({ id, now }) => store.confirmSignIn(confirmInput(id, at(now, 1)), at(now, 1))));
    expect(answers.every((answer) => answer !== null)).toBe(true);
    const userIds = new Set(answers.map((answer) => answer?.userId));
    expect(userIds.size).toBe(1);
    expect(new Set(answers.map((answer) => answer?.orgId)).size).toBe(1);
    expect(answers.filter((answer) => answer?.newUser)).toHaveLength(1);
    const [userId] = [...userIds] as [string];
    expect(await store.listUserOrgs(userId)).toHaveLength(1);
    expect(await count('SELECT count(*) AS n FROM users WHERE email = $1', [email])).toBe(1);
    expect(await count('SELECT count(*) AS n FROM memberships WHERE user_id = $1', [userId])).toBe(1);
    expect(await count('SELECT count(*) AS n FROM sessions WHERE user_id = $1', [userId])).toBe(10);
  });

  it('R1: 40 mixed writes at once (sign-ins, rotations, renames, revocations, codes) all complete, none fails on a lock', async () => {
    const store = await getStore();
    const people = await times(8, (i) => signIn(newEmail(`mixed-${i}`), T0));
    const T1 = at(T0, 60);
    const settled = await Promise.allSettled(
      people.flatMap((p, i) => [
        signIn(newEmail(`mixed-new-${i}`), T1),
        rotate(p, 0, T1),
        store.renameDevice({ userId: p.userId, orgId: p.orgId }, p.sessionId, `Renamed ${i}`, T1),
        store.touchLastSeen(p.sessionId, at(T1, 600), 300),
        store.revoke({ kind: 'other_sessions', userId: p.userId, keepSessionId: p.sessionId, orgId: p.orgId }, 'sign_out', T1),
      ]),
    );
    expect(settled.filter((result) => result.status === 'rejected')).toEqual([]);
    for (const [i, p] of people.entries()) expect(await context(p.sessionId)).toMatchObject({ deviceLabel: `Renamed ${i}`, revokedAt: null });
  });
});
