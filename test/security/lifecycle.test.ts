import { describe, expect, it } from 'vitest';
import type { IssuedTokens } from '@/lib/auth/issue';
import type { RefreshResult } from '@/lib/auth/refresh';
import { signToken } from '@/lib/crypto/tokens';
import { getKeyring } from '@/lib/crypto/keys';
import { getStore } from '@/lib/store';
import { sessionCookies } from '@/lib/web/cookies';
import { at, POLICY, signIn, uniqueEmail } from '@/test/helpers';
import { selectRow, selectRows } from '@/test/inspect';
import { check, decode, forge, rotate, sessionRow } from './forge';

/** L1–L5 on a real database, with an injected clock so windows and lifetimes are exact. */

const T0 = new Date('2031-06-01T08:00:00.000Z');
const GRACE = POLICY.graceSeconds;

/** Signs `session` out as the browser itself does (POST /sign-out): the store's one revocation. */
async function signOut(session: { userId: string; sessionId: string }, now: Date) {
  return (await getStore()).revoke({ kind: 'session', userId: session.userId, sessionId: session.sessionId, fromSessionId: null }, 'sign_out', now);
}

function tokensOf(result: RefreshResult): IssuedTokens {
  if (!result.ok) throw new Error(`refresh failed: ${result.error}`);
  return result.tokens;
}

/** Signs in at T0 and rotates `times` times at the given offsets (seconds after T0). */
async function rotatedSession(offsets: number[]) {
  const first = await signIn(uniqueEmail('rotating'), T0);
  const generations = [first.tokens];
  for (const offset of offsets) generations.push(tokensOf(await rotate(generations.at(-1)!.refreshToken, at(T0, offset))));
  return { sessionId: first.sessionId, generations };
}

async function reuseEvents(sessionId: string): Promise<number> {
  const rows = await selectRows("SELECT id FROM security_events WHERE session_id = $1 AND type = 'refresh_reuse_detected'", [sessionId]);
  return rows.length;
}

describe('L1 no session fixation', () => {
  it('L1: every successful verification creates a new session row with new tokens', async () => {
    const email = uniqueEmail('fixation');
    const first = await signIn(email, T0);
    const second = await signIn(email, at(T0, 1));
    expect(second.sessionId).not.toBe(first.sessionId);
    expect(second.tokens.accessToken).not.toBe(first.tokens.accessToken);
    expect(second.tokens.refreshToken).not.toBe(first.tokens.refreshToken);
    expect(await sessionRow(first.sessionId)).toBeDefined();
    expect(await sessionRow(second.sessionId)).toBeDefined();
    // The cookies written at /verify carry the new session's tokens under the session cookie names.
    const written = sessionCookies(second.tokens, at(T0, 1), false);
    expect(written.map((c) => [c.name, c.value])).toEqual([
      ['signet_at', second.tokens.accessToken],
      ['signet_rt', second.tokens.refreshToken],
    ]);
  });
});

describe('L2 revocation is immediate', () => {
  it("L2: a revoked session's unexpired access token and its refresh token are refused at once, with the reason", async () => {
    const s = await signIn(uniqueEmail('revoked'), T0);
    expect((await check(s.tokens.accessToken, at(T0, 1))).status).toBe('valid');
    expect(await signOut(s, at(T0, 2))).toEqual({ ok: true, ended: 1 });
    expect(await check(s.tokens.accessToken, at(T0, 3))).toMatchObject({
      status: 'ended',
      notice: { reason: 'sign_out', at: at(T0, 2).toISOString(), elsewhere: false },
    });
    expect(await rotate(s.tokens.refreshToken, at(T0, 3))).toMatchObject({ ok: false, error: 'revoked', notice: { reason: 'sign_out' } });
    // Refused, not rotated: the generation stays where it was.
    expect((await sessionRow(s.sessionId))?.refreshGeneration).toBe(0);
  });
});

describe('L3 refresh rotation with reuse detection', () => {
  it('L3: a rotation moves the generation by exactly 1 and returns a new pair for the current generation', async () => {
    const s = await signIn(uniqueEmail('one-step'), T0);
    const now = at(T0, 100);
    const result = await rotate(s.tokens.refreshToken, now);
    expect(result).toMatchObject({ ok: true, rotated: true, sessionId: s.sessionId });
    const tokens = tokensOf(result);
    expect((await sessionRow(s.sessionId))?.refreshGeneration).toBe(1);
    expect(tokens.refreshToken).not.toBe(s.tokens.refreshToken);
    expect(tokens.accessToken).not.toBe(s.tokens.accessToken);
    expect(decode(tokens.refreshToken).payload.gen).toBe(1);
    expect(tokens.accessExpiresAt).toEqual(at(now, POLICY.accessTtlSeconds));
  });

  it('L3: after 3 rotations, replaying generation 0 ends the session and kills its current access and refresh tokens', async () => {
    const { sessionId, generations } = await rotatedSession([60, 120, 180]);
    expect((await sessionRow(sessionId))?.refreshGeneration).toBe(3);
    const current = generations[3]!;
    expect((await check(current.accessToken, at(T0, 181))).status).toBe('valid');

    const replay = await rotate(generations[0]!.refreshToken, at(T0, 182));
    expect(replay).toMatchObject({ ok: false, error: 'revoked', notice: { reason: 'reuse_detected' } });
    expect(await sessionRow(sessionId)).toMatchObject({ revokedReason: 'reuse_detected' });
    expect(await reuseEvents(sessionId)).toBe(1);
    expect(await check(current.accessToken, at(T0, 183))).toMatchObject({ status: 'ended', notice: { reason: 'reuse_detected' } });
    expect(await rotate(current.refreshToken, at(T0, 183))).toMatchObject({ ok: false, error: 'revoked', notice: { reason: 'reuse_detected' } });
  });

  it('L3: the same, with all three rotations and the replay inside one second', async () => {
    const { sessionId, generations } = await rotatedSession([0.1, 0.2, 0.3]);
    const replay = await rotate(generations[0]!.refreshToken, at(T0, 0.4));
    expect(replay).toMatchObject({ ok: false, error: 'revoked', notice: { reason: 'reuse_detected' } });
    expect((await check(generations[3]!.accessToken, at(T0, 0.5))).status).toBe('ended');
    expect(await rotate(generations[3]!.refreshToken, at(T0, 0.5))).toMatchObject({ ok: false, error: 'revoked' });
    expect((await sessionRow(sessionId))?.revokedReason).toBe('reuse_detected');
  });

  it('L3: generation n-2 inside the grace window is reuse', async () => {
    const { sessionId, generations } = await rotatedSession([1, 2]);
    const replay = await rotate(generations[0]!.refreshToken, at(T0, 3));
    expect(replay).toMatchObject({ ok: false, error: 'revoked', notice: { reason: 'reuse_detected' } });
    expect((await sessionRow(sessionId))?.revokedReason).toBe('reuse_detected');
  });

  it('L3: the immediately previous generation inside the grace window gets the current tokens, which work; after it, it is reuse', async () => {
    const { sessionId, generations } = await rotatedSession([30]);
    const late = await rotate(generations[0]!.refreshToken, at(T0, 30 + GRACE - 1));
    expect(late).toMatchObject({ ok: true, rotated: false });
    const current = tokensOf(late);
    expect(decode(current.refreshToken).payload.gen).toBe(1);
    expect(decode(current.accessToken).payload.jti).toBe(sessionId);
    expect(await sessionRow(sessionId)).toMatchObject({ refreshGeneration: 1, revokedAt: null });
    expect((await check(current.accessToken, at(T0, 30 + GRACE))).status).toBe('valid');

    const tooLate = await rotate(generations[0]!.refreshToken, at(T0, 30 + GRACE + 1));
    expect(tooLate).toMatchObject({ ok: false, error: 'revoked', notice: { reason: 'reuse_detected' } });
    expect(await sessionRow(sessionId)).toMatchObject({ revokedReason: 'reuse_detected', revokedAt: at(T0, 30 + GRACE + 1).toISOString() });
    expect(await reuseEvents(sessionId)).toBe(1);
  });

  it('L3: the current tokens handed out inside the grace window rotate on as the current generation', async () => {
    const { generations } = await rotatedSession([30]);
    const late = tokensOf(await rotate(generations[0]!.refreshToken, at(T0, 30 + GRACE - 1)));
    expect(await rotate(late.refreshToken, at(T0, 90))).toMatchObject({ ok: true, rotated: true });
  });

  it("L3: forged tokens carrying a victim's jti (bad signature, any generation) revoke nothing", async () => {
    const { sessionId, generations } = await rotatedSession([60, 120]);
    const real = decode(generations[0]!.refreshToken);
    const attackerKey = Buffer.alloc(32, 7);
    for (const gen of [0, 1, 2, 3, 99]) {
      const signedByAttacker = forge(real.header, { ...real.payload, gen }, attackerKey);
      const forged = [
        signedByAttacker,
        forge({ ...real.header, alg: 'none' }, { ...real.payload, gen }, null),
        // The claims of generation `gen` under a genuine signature lifted from another generation's token.
        `${signedByAttacker.split('.').slice(0, 2).join('.')}.${decode(generations[gen === 1 ? 2 : 1]!.refreshToken).signature}`,
      ];
      for (const token of forged) expect(await rotate(token, at(T0, 130))).toEqual({ ok: false, error: 'invalid' });
    }
    expect(await sessionRow(sessionId)).toMatchObject({ revokedAt: null, refreshGeneration: 2 });
    expect(await reuseEvents(sessionId)).toBe(0);
    expect((await rotate(generations[2]!.refreshToken, at(T0, 131))).ok).toBe(true);
  });
});

describe('L4 concurrency', () => {
  it('L4: 20 parallel refreshes with one cookie all succeed, move the generation exactly once and revoke nothing', async () => {
    const s = await signIn(uniqueEmail('parallel'), T0);
    const results = await Promise.all(Array.from({ length: 20 }, () => rotate(s.tokens.refreshToken, at(T0, 60))));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.filter((r) => r.ok && r.rotated)).toHaveLength(1);
    for (const r of results) expect(decode(tokensOf(r).refreshToken).payload.gen).toBe(1);
    expect(await sessionRow(s.sessionId)).toMatchObject({ refreshGeneration: 1, revokedAt: null });
    // Whichever answer a tab kept, it goes on working.
    expect((await rotate(tokensOf(results[19]!).refreshToken, at(T0, 120))).ok).toBe(true);
  });

  it('L4: a refresh racing a sign-out always ends revoked (looped)', async () => {
    for (let i = 0; i < 25; i += 1) {
      const s = await signIn(uniqueEmail('race'), at(T0, i));
      const now = at(T0, i + 1);
      const [refreshed, signedOut] = await Promise.all([rotate(s.tokens.refreshToken, now), signOut(s, now)]);
      expect(signedOut).toEqual({ ok: true, ended: 1 });
      expect(await sessionRow(s.sessionId)).toMatchObject({ revokedReason: 'sign_out' });
      expect((await sessionRow(s.sessionId))?.revokedAt).not.toBeNull();
      // Whatever the refresh handed out is dead too.
      if (refreshed.ok) {
        expect((await check(refreshed.tokens.accessToken, now)).status).toBe('ended');
        expect((await rotate(refreshed.tokens.refreshToken, now)).ok).toBe(false);
      }
    }
  });
});

describe('L5 absolute lifetime', () => {
  it('L5: a stay-signed-in session ends 30 days after creation however often it refreshes', async () => {
    const s = await signIn(uniqueEmail('thirty-days'), T0, { persistent: true });
    const end = at(T0, POLICY.persistentLifetimeSeconds);
    expect((await sessionRow(s.sessionId))?.refreshExpiresAt).toBe(end.toISOString());
    expect(decode(s.tokens.refreshToken).payload.exp).toBe(end.getTime() / 1000);

    let refreshToken = s.tokens.refreshToken;
    for (const day of [1, 10, 20, 29]) {
      const tokens = tokensOf(await rotate(refreshToken, at(T0, day * 86_400)));
      expect(decode(tokens.refreshToken).payload.exp).toBe(end.getTime() / 1000);
      expect(tokens.refreshExpiresAt).toEqual(end);
      refreshToken = tokens.refreshToken;
    }
    // Near the end the access token is cut short at the absolute end, not 15 minutes later.
    const last = tokensOf(await rotate(refreshToken, at(end, -60)));
    expect(last.accessExpiresAt).toEqual(end);
    expect(decode(last.accessToken).payload.exp).toBe(end.getTime() / 1000);
    expect((await sessionRow(s.sessionId))?.refreshExpiresAt).toBe(end.toISOString());
    expect((await check(last.accessToken, at(end, -1))).status).toBe('valid');
    expect(await rotate(last.refreshToken, at(end, 1))).toEqual({ ok: false, error: 'expired' });
    expect((await rotate(last.refreshToken, at(end, 3600))).ok).toBe(false);
    // Past the end the session is over even though the access token is still inside its clock tolerance.
    expect(await check(last.accessToken, at(end, 1))).toEqual({ status: 'none' });
  });

  it('L5: without "stay signed in" the session is a browser session: no persistent cookie, and a short absolute end', async () => {
    const s = await signIn(uniqueEmail('shared-computer'), T0, { persistent: false });
    const end = at(T0, POLICY.browserLifetimeSeconds);
    expect(await sessionRow(s.sessionId)).toMatchObject({ persistent: false, refreshExpiresAt: end.toISOString() });
    const [access, refresh] = sessionCookies(s.tokens, T0, false);
    expect(access?.maxAge).toBe(900);
    expect(refresh?.maxAge).toBeUndefined();
    const refreshed = tokensOf(await rotate(s.tokens.refreshToken, at(T0, 3600)));
    expect(refreshed).toMatchObject({ persistent: false, refreshExpiresAt: end });
    expect(decode(refreshed.refreshToken).payload.exp).toBe(end.getTime() / 1000);
    expect(sessionCookies(refreshed, at(T0, 3600), false)[1]?.maxAge).toBeUndefined();
    expect(await rotate(refreshed.refreshToken, at(end, 1))).toEqual({ ok: false, error: 'expired' });
  });

  it('L5: at the exact absolute end the session is expired; one millisecond before, it still rotates', async () => {
    const early = await signIn(uniqueEmail('boundary'), T0, { persistent: false });
    const end = at(T0, POLICY.browserLifetimeSeconds);
    expect((await rotate(early.tokens.refreshToken, new Date(end.getTime() - 1))).ok).toBe(true);
    const late = await signIn(uniqueEmail('boundary'), T0, { persistent: false });
    // Signed by hand so the token itself is still valid at the session's end (within tolerance).
    const token = await signToken(getKeyring(), 'refresh', { sessionId: late.sessionId, userId: late.userId, generation: 0, issuedAt: T0, expiresAt: at(end, 60) });
    expect(await rotate(token, end)).toEqual({ ok: false, error: 'expired' });
    expect((await sessionRow(late.sessionId))?.refreshGeneration).toBe(0);
  });

  it('L5: refreshing never writes a later end into the session row', async () => {
    const s = await signIn(uniqueEmail('never-later'), T0);
    const before = (await sessionRow(s.sessionId))!.refreshExpiresAt;
    expect((await rotate(s.tokens.refreshToken, at(T0, 86_400))).ok).toBe(true);
    const row = await selectRow<{ end: string }>('SELECT refresh_expires_at AS "end" FROM sessions WHERE id = $1', [s.sessionId]);
    expect(row?.end).toBe(before);
  });
});
