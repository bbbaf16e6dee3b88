import { describe, expect, it } from 'vitest';
import { at, POLICY, uniqueEmail } from '@/test/helpers';
import { execute, selectRow, selectRows } from '@/test/inspect';
import { getStore } from '../store';
import { normalizeEmail } from '../users';
import {
  CODE_TTL_SECONDS,
  digestsEqual,
  generateCode,
  hashCode,
  isWellFormedCode,
  MAX_ATTEMPTS_PER_CODE,
  MAX_SENDS_PER_WINDOW,
  startChallenge,
  THROTTLE_WINDOW_SECONDS,
} from './codes';
import { getKeyring } from '../crypto/keys';
import { completeSignIn } from './sign-in';

const NOW = new Date('2030-02-01T09:00:00.000Z');
const newEmail = (): string => normalizeEmail(uniqueEmail('signin'));
const start = (email: string, now = NOW) => startChallenge(getKeyring(), email, now);
const submit = (challengeId: string, code: string, now = NOW) =>
  completeSignIn(getKeyring(), { challengeId, code, deviceFingerprint: 'f'.repeat(64), deviceLabel: 'Laptop', deviceType: 'desktop', persistent: true }, POLICY, now);
const wrong = (code: string): string => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
const count = async (query: string, ...params: unknown[]): Promise<number> => (await selectRows(query, params)).length;
const sessionCount = (userId: string): Promise<number> => count('SELECT id FROM sessions WHERE user_id = $1', userId);
const challengeRow = (id: string) =>
  selectRow<{ codeHmac: string; kid: string; attempts: number; consumedAt: string | null }>(
    'SELECT code_hmac, kid, attempts, consumed_at FROM sign_in_challenges WHERE id = $1',
    [id],
  );

/** A trigger that makes every session insert fail with 'x', in each engine's dialect. */
const FAIL_SESSION_INSERT = {
  sqlite: {
    create: ["CREATE TRIGGER test_fail_session_insert BEFORE INSERT ON sessions BEGIN SELECT RAISE(ABORT, 'x'); END"],
    drop: ['DROP TRIGGER IF EXISTS test_fail_session_insert'],
  },
  postgres: {
    create: [
      "CREATE FUNCTION test_fail_session_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'x'; END $$",
      'CREATE TRIGGER test_fail_session_insert BEFORE INSERT ON sessions FOR EACH ROW EXECUTE FUNCTION test_fail_session_insert()',
    ],
    drop: ['DROP TRIGGER IF EXISTS test_fail_session_insert ON sessions', 'DROP FUNCTION IF EXISTS test_fail_session_insert()'],
  },
} as const;

/** A challenge that was really sent (the send cap not reached). */
async function issued(email: string, now = NOW): Promise<{ challengeId: string; code: string }> {
  const challenge = await start(email, now);
  if (!challenge.code) throw new Error('no code issued');
  return { challengeId: challenge.challengeId, code: challenge.code };
}

async function signInAt(email: string, now = NOW) {
  const { challengeId, code } = await issued(email, now);
  return submit(challengeId, code, now);
}

describe('codes: C1 lifetime, single use, binding', () => {
  it('C1: a code is valid at TTL−1 s', async () => {
    const { challengeId, code } = await issued(newEmail());
    expect((await submit(challengeId, code, at(NOW, CODE_TTL_SECONDS - 1))).ok).toBe(true);
  });

  it('C1: a code is refused at TTL and at TTL+1 s', async () => {
    const { challengeId, code } = await issued(newEmail());
    expect(await submit(challengeId, code, at(NOW, CODE_TTL_SECONDS + 1))).toEqual({ ok: false, error: 'invalid_code' });
    expect((await submit(challengeId, code, at(NOW, CODE_TTL_SECONDS))).ok).toBe(false);
  });

  it('C1: a consumed code cannot be reused', async () => {
    const { challengeId, code } = await issued(newEmail());
    const first = await submit(challengeId, code);
    if (!first.ok) throw new Error('first use failed');
    expect((await submit(challengeId, code, at(NOW, 1))).ok).toBe(false);
    expect(await sessionCount(first.userId)).toBe(1);
    expect((await challengeRow(challengeId))?.consumedAt).toBe(NOW.toISOString());
  });

  it('C1: a resend (second startChallenge) invalidates the first code', async () => {
    const email = newEmail();
    const first = await issued(email);
    const second = await issued(email, at(NOW, 30));
    expect((await submit(first.challengeId, first.code, at(NOW, 31))).ok).toBe(false);
    expect((await submit(second.challengeId, second.code, at(NOW, 32))).ok).toBe(true);
  });

  it('C1: a code is bound to the challenge it was issued for', async () => {
    const a = await issued(newEmail());
    const b = await issued(newEmail());
    expect((await submit(b.challengeId, a.code)).ok).toBe(a.code === b.code); // equal only by a 1-in-a-million chance
    expect((await submit('no-such-challenge-id', a.code)).ok).toBe(false);
  });

  it('C1: codes are six ASCII digits and vary', () => {
    const codes = Array.from({ length: 200 }, generateCode);
    expect(codes.every(isWellFormedCode)).toBe(true);
    expect(new Set(codes).size).toBeGreaterThan(190);
  });
});

describe('codes: C2 storage and comparison', () => {
  it('C2: the stored code_hmac is not the code but its HMAC bound to the challenge', async () => {
    const { challengeId, code } = await issued(newEmail());
    const row = await challengeRow(challengeId);
    expect(row?.codeHmac).toMatch(/^[0-9a-f]{64}$/);
    expect(row?.codeHmac).not.toContain(code);
    expect(row?.codeHmac).toBe(hashCode(getKeyring(), row?.kid ?? '', challengeId, code));
    expect(row?.codeHmac).not.toBe(hashCode(getKeyring(), row?.kid ?? '', 'another-challenge', code));
  });

  it('C2: digest comparison treats length mismatches and non-hex input as unequal without throwing', () => {
    const digest = 'ab'.repeat(32);
    expect(digestsEqual(digest, digest)).toBe(true);
    expect(digestsEqual(digest, digest.slice(0, 62))).toBe(false);
    expect(digestsEqual(digest, `${digest}00`)).toBe(false);
    expect(digestsEqual('', '')).toBe(false);
    expect(digestsEqual('zz', 'zz')).toBe(false);
  });
});

describe('codes: C3 attempt, failure and send caps', () => {
  it(`C3: after ${MAX_ATTEMPTS_PER_CODE} wrong codes the correct one is refused`, async () => {
    const { challengeId, code } = await issued(newEmail());
    for (let i = 0; i < MAX_ATTEMPTS_PER_CODE; i += 1) expect((await submit(challengeId, wrong(code))).ok).toBe(false);
    expect((await challengeRow(challengeId))?.attempts).toBe(MAX_ATTEMPTS_PER_CODE);
    expect((await submit(challengeId, code)).ok).toBe(false);
  });

  it(`C3: after ${MAX_ATTEMPTS_PER_CODE - 1} wrong codes the correct one still works`, async () => {
    const { challengeId, code } = await issued(newEmail());
    for (let i = 0; i < MAX_ATTEMPTS_PER_CODE - 1; i += 1) await submit(challengeId, wrong(code));
    expect((await submit(challengeId, code)).ok).toBe(true);
  });

  it(`C3: sends are capped per address: code null after ${MAX_SENDS_PER_WINDOW}, again after the window`, async () => {
    const email = newEmail();
    for (let i = 0; i < MAX_SENDS_PER_WINDOW; i += 1) expect((await start(email, at(NOW, i))).code).not.toBeNull();
    const capped = await start(email, at(NOW, MAX_SENDS_PER_WINDOW));
    expect(capped.code).toBeNull();
    expect(await challengeRow(capped.challengeId)).toBeUndefined();
    expect((await start(newEmail(), at(NOW, MAX_SENDS_PER_WINDOW))).code).not.toBeNull(); // other addresses unaffected
    const later = await issued(email, at(NOW, THROTTLE_WINDOW_SECONDS + MAX_SENDS_PER_WINDOW));
    expect((await submit(later.challengeId, later.code, at(NOW, THROTTLE_WINDOW_SECONDS + MAX_SENDS_PER_WINDOW))).ok).toBe(true);
  });

  it('C3: the per-account failure cap refuses a correct code across challenges, then backs off', async () => {
    const email = newEmail();
    const a = await issued(email);
    for (let i = 0; i < 5; i += 1) await submit(a.challengeId, wrong(a.code), at(NOW, 1));
    const b = await issued(email, at(NOW, 2));
    for (let i = 0; i < 4; i += 1) await submit(b.challengeId, wrong(b.code), at(NOW, 3));
    const c = await issued(email, at(NOW, 4)); // 9 failures so far: still sent
    await submit(c.challengeId, wrong(c.code), at(NOW, 5)); // the 10th
    expect((await challengeRow(c.challengeId))?.attempts).toBe(1);
    expect((await submit(c.challengeId, c.code, at(NOW, 6))).ok).toBe(false);
    expect((await start(email, at(NOW, 7))).code).toBeNull();
    const after = await issued(email, at(NOW, THROTTLE_WINDOW_SECONDS + 7));
    expect((await submit(after.challengeId, after.code, at(NOW, THROTTLE_WINDOW_SECONDS + 8))).ok).toBe(true);
  });
});

describe('codes: W4 malformed input', () => {
  it.each([
    ['5 digits', '12345'],
    ['7 digits', '1234567'],
    ['Arabic-Indic digits', '٠١٢٣٤٥'],
    ['full-width digits', '１２３４５６'],
    ['a leading space', ' 123456'],
    ['a trailing newline', '123456\n'],
    ['an inner space', '123 456'],
    ['1000 characters', '1'.repeat(1000)],
    ['a number', 123456],
    ['null', null],
  ])('W4: isWellFormedCode rejects %s', (_label, code) => {
    expect(isWellFormedCode(code)).toBe(false);
  });

  it('W4: isWellFormedCode accepts six ASCII digits, leading zeros included', () => {
    expect(isWellFormedCode('000123')).toBe(true);
  });

  it('W4: completeSignIn answers a malformed code with invalid_code, never an exception', async () => {
    const { challengeId } = await issued(newEmail());
    for (const code of ['٠١٢٣٤٥', '1'.repeat(1000), '']) {
      await expect(submit(challengeId, code)).resolves.toEqual({ ok: false, error: 'invalid_code' });
    }
  });
});

describe('sign-in: accounts, sessions and atomicity', () => {
  it('an unknown address creates a user, a personal org and an owner membership; a known one reuses them', async () => {
    const email = newEmail();
    const first = await signInAt(email);
    if (!first.ok) throw new Error('sign-in failed');
    expect(first.newUser).toBe(true);
    const membership = await selectRows('SELECT m.role, o.name FROM memberships m JOIN orgs o ON o.id = m.org_id JOIN users u ON u.id = m.user_id WHERE u.email = $1', [
      email,
    ]);
    expect(membership).toEqual([{ role: 'owner', name: `${email.split('@')[0]}'s org` }]);
    const second = await signInAt(email, at(NOW, 60));
    expect(second).toMatchObject({ ok: true, newUser: false, userId: first.userId });
    expect(await count('SELECT id FROM users WHERE email = $1', email)).toBe(1);
    expect(await count('SELECT org_id FROM memberships WHERE user_id = $1', first.userId)).toBe(1);
  });

  it('L1/T6: every sign-in creates a new session row with a fresh id of at least 128 random bits', async () => {
    const email = newEmail();
    const ids: string[] = [];
    for (const offset of [0, 60]) {
      const result = await signInAt(email, at(NOW, offset));
      if (!result.ok) throw new Error('sign-in failed');
      expect(Buffer.from(result.sessionId, 'base64url').length).toBeGreaterThanOrEqual(16);
      ids.push(result.sessionId);
    }
    expect(new Set(ids).size).toBe(2);
    expect(await count('SELECT id FROM sessions WHERE id IN ($1, $2)', ...ids)).toBe(2);
  });

  it('C4: the same correct code submitted twice at once creates exactly one session', async () => {
    const { challengeId, code } = await issued(newEmail());
    const results = await Promise.all([submit(challengeId, code), submit(challengeId, code)]);
    const ok = results.filter((result) => result.ok);
    expect(ok).toHaveLength(1);
    expect(results.filter((result) => !result.ok)).toEqual([{ ok: false, error: 'invalid_code' }]);
    expect(await sessionCount(ok[0]?.ok ? ok[0].userId : '')).toBe(1);
  });

  it('R4: if the session insert fails, completeSignIn fails and the same code still works afterwards', async () => {
    const email = newEmail();
    const { challengeId, code } = await issued(email);
    // Another connection makes every session insert fail, as a full disk or a constraint would.
    const trigger = FAIL_SESSION_INSERT[(await getStore()).engine];
    for (const statement of trigger.create) await execute(statement);
    try {
      await expect(submit(challengeId, code)).rejects.toThrow(/x/);
    } finally {
      for (const statement of trigger.drop) await execute(statement);
    }
    expect(await challengeRow(challengeId)).toMatchObject({ consumedAt: null, attempts: 0 });
    expect(await count('SELECT id FROM users WHERE email = $1', email)).toBe(0);
    const retry = await submit(challengeId, code, at(NOW, 1));
    expect(retry).toMatchObject({ ok: true, newUser: true });
  });
});
