import { describe, expect, it } from 'vitest';
import { completeSignIn, startChallenge, type SignInResult, type StartedChallenge } from '@/lib/auth/sign-in';
import { digestsEqual, generateCode, hashCode, isWellFormedCode } from '@/lib/crypto/codes';
import { generateKeyEntry, getKeyring, parseKeyring } from '@/lib/crypto/keys';
import { CODE_TTL_SECONDS, MAX_ATTEMPTS_PER_CODE, MAX_FAILURES_PER_WINDOW, MAX_SENDS_PER_WINDOW, THROTTLE_WINDOW_SECONDS } from '@/lib/rules';
import { at, contextAt, uniqueEmail } from '@/test/helpers';
import { selectRow, selectRows } from '@/test/inspect';

/** C1–C4 on a real database: the code flow exactly as /sign-in/send and /verify/confirm run it. */

const T0 = new Date('2031-09-01T09:00:00.000Z');

async function start(email: string, now = T0): Promise<StartedChallenge> {
  return startChallenge(await contextAt(now), email);
}

async function confirm(challengeId: string, code: string, now = T0, keyring = getKeyring()): Promise<SignInResult> {
  const input = { challengeId, code, deviceFingerprint: 'f'.repeat(64), deviceType: 'desktop' as const, deviceLabel: 'Test', persistent: true };
  return completeSignIn(await contextAt(now, { keyring }), input);
}

function wrong(code: string, offset = 1): string {
  return ((Number(code) + offset) % 1_000_000).toString().padStart(6, '0');
}

type ChallengeRecord = { id: string; email: string; codeHmac: string; kid: string; expiresAt: string; attempts: number; consumedAt: string | null; createdAt: string };

/** The challenge row exactly as stored. */
function challengeRow(id: string): Promise<ChallengeRecord | undefined> {
  return selectRow<ChallengeRecord>('SELECT * FROM sign_in_challenges WHERE id = $1', [id]);
}

/** How many sessions the account of `email` has (0 when there is no account). */
async function sessionsOf(email: string): Promise<number> {
  const rows = await selectRows('SELECT s.id FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1', [email]);
  return rows.length;
}

async function issued(email: string, now = T0): Promise<{ challengeId: string; code: string }> {
  const started = await start(email, now);
  if (!started.code) throw new Error('no code issued');
  return { challengeId: started.challengeId, code: started.code };
}

describe('C1 codes: shape, lifetime, single use, binding, resend', () => {
  it('C1: codes are 6 ASCII digits spread over the whole range, leading zeros included', () => {
    const codes = Array.from({ length: 5000 }, generateCode);
    for (const code of codes) expect(code).toMatch(/^[0-9]{6}$/);
    const firstDigits = new Set(codes.map((c) => c.charAt(0)));
    expect(firstDigits.size).toBe(10);
    expect(new Set(codes).size).toBeGreaterThan(4900);
  });

  it('C1: a code works 1 s before its 10-minute expiry', async () => {
    const email = uniqueEmail('ttl-minus');
    const { challengeId, code } = await issued(email);
    expect((await confirm(challengeId, code, at(T0, CODE_TTL_SECONDS - 1))).ok).toBe(true);
  });

  it('C1: a code is refused 1 s after its expiry (and at the instant it expires)', async () => {
    const email = uniqueEmail('ttl-plus');
    const { challengeId, code } = await issued(email);
    expect(await confirm(challengeId, code, at(T0, CODE_TTL_SECONDS + 1))).toEqual({ ok: false, error: 'invalid_code' });
    expect(await confirm(challengeId, code, at(T0, CODE_TTL_SECONDS))).toEqual({ ok: false, error: 'invalid_code' });
    expect(await sessionsOf(email)).toBe(0);
  });

  it('C1: a code works once', async () => {
    const email = uniqueEmail('single-use');
    const { challengeId, code } = await issued(email);
    expect((await confirm(challengeId, code)).ok).toBe(true);
    expect(await confirm(challengeId, code, at(T0, 1))).toEqual({ ok: false, error: 'invalid_code' });
    expect(await sessionsOf(email)).toBe(1);
  });

  it('C1: a code is bound to the challenge it was issued for', async () => {
    const mine = await issued(uniqueEmail('binding-a'));
    const theirs = await issued(uniqueEmail('binding-b'));
    expect(await confirm(theirs.challengeId, mine.code)).toEqual({ ok: false, error: 'invalid_code' });
    expect(await confirm('not-a-challenge-id-at-all', mine.code)).toEqual({ ok: false, error: 'invalid_code' });
    expect((await confirm(mine.challengeId, mine.code)).ok).toBe(true);
  });

  it('C1: a resend invalidates the previous code', async () => {
    const email = uniqueEmail('resend');
    const old = await issued(email);
    const fresh = await issued(email, at(T0, 30));
    expect(await confirm(old.challengeId, old.code, at(T0, 31))).toEqual({ ok: false, error: 'invalid_code' });
    expect((await confirm(fresh.challengeId, fresh.code, at(T0, 32))).ok).toBe(true);
  });
});

describe('C2 codes are stored only as an HMAC', () => {
  it('C2: the database holds a 256-bit HMAC, never the code', async () => {
    const { challengeId, code } = await issued(uniqueEmail('stored'));
    const row = await challengeRow(challengeId);
    expect(row).toBeDefined();
    expect(row?.codeHmac).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(code);
    // It is the HMAC of this code for this challenge: the same code under another challenge hashes apart.
    expect(row?.codeHmac).toBe(hashCode(getKeyring(), row?.kid ?? '', challengeId, code));
    expect(row?.codeHmac).not.toBe(hashCode(getKeyring(), row?.kid ?? '', 'another-challenge', code));
  });

  it('C2: comparing digests of different lengths or non-hex input is simply unequal, never an exception', () => {
    const digest = 'ab'.repeat(32);
    for (const other of ['', 'ab', 'ab'.repeat(31), 'ab'.repeat(33), 'zz'.repeat(32), `${digest}00`]) {
      expect(() => digestsEqual(digest, other)).not.toThrow();
      expect(digestsEqual(digest, other)).toBe(false);
    }
    expect(digestsEqual('', '')).toBe(false);
    expect(digestsEqual(digest, digest)).toBe(true);
  });

  it('C2: a code whose HMAC key version was removed is refused cleanly', async () => {
    const { challengeId, code } = await issued(uniqueEmail('retired-kid'));
    await expect(confirm(challengeId, code, T0, parseKeyring(generateKeyEntry('t7')))).resolves.toEqual({ ok: false, error: 'invalid_code' });
  });
});

describe('C3 attempts, failures and sends are capped', () => {
  it(`C3: ${MAX_ATTEMPTS_PER_CODE} wrong codes, then the right one is refused`, async () => {
    const email = uniqueEmail('five-wrong');
    const { challengeId, code } = await issued(email);
    for (let i = 1; i <= MAX_ATTEMPTS_PER_CODE; i += 1) expect((await confirm(challengeId, wrong(code, i))).ok).toBe(false);
    expect((await challengeRow(challengeId))?.attempts).toBe(MAX_ATTEMPTS_PER_CODE);
    expect(await confirm(challengeId, code)).toEqual({ ok: false, error: 'invalid_code' });
    expect(await sessionsOf(email)).toBe(0);
  });

  it('C3: 4 wrong codes, then the right one still works', async () => {
    const email = uniqueEmail('four-wrong');
    const { challengeId, code } = await issued(email);
    for (let i = 1; i < MAX_ATTEMPTS_PER_CODE; i += 1) await confirm(challengeId, wrong(code, i));
    expect((await confirm(challengeId, code)).ok).toBe(true);
  });

  it('C3: 50 wrong guesses at once → at most 5 evaluated (attempts counted in the database)', async () => {
    const email = uniqueEmail('parallel-guesses');
    const { challengeId, code } = await issued(email);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => confirm(challengeId, wrong(code, i + 1))));
    expect(results.every((r) => !r.ok)).toBe(true);
    expect((await challengeRow(challengeId))?.attempts).toBe(MAX_ATTEMPTS_PER_CODE);
    expect((await confirm(challengeId, code)).ok).toBe(false);
  });

  it(`C3: ${MAX_FAILURES_PER_WINDOW} failures across an address's codes lock it until the window has passed`, async () => {
    const email = uniqueEmail('lock-out');
    for (let round = 0; round < MAX_FAILURES_PER_WINDOW / MAX_ATTEMPTS_PER_CODE; round += 1) {
      const { challengeId, code } = await issued(email, at(T0, round));
      for (let i = 1; i <= MAX_ATTEMPTS_PER_CODE; i += 1) await confirm(challengeId, wrong(code, i), at(T0, round));
    }
    // Locked: no new code is issued (same public answer), and a code issued just before is refused too.
    expect((await start(email, at(T0, 60))).code).toBeNull();
    const lockedOut = await selectRows<{ attempts: number }>('SELECT attempts FROM sign_in_challenges WHERE email = $1', [email]);
    expect(lockedOut).toHaveLength(MAX_FAILURES_PER_WINDOW / MAX_ATTEMPTS_PER_CODE);
    expect(lockedOut.reduce((sum, row) => sum + row.attempts, 0)).toBe(MAX_FAILURES_PER_WINDOW);
    // Back-off over: after the window, codes flow and work again.
    const later = at(T0, THROTTLE_WINDOW_SECONDS + 120);
    const { challengeId, code } = await issued(email, later);
    expect((await confirm(challengeId, code, later)).ok).toBe(true);
  });

  it('C3: once the address reaches its failure cap, even the right code of its open challenge is refused', async () => {
    const email = uniqueEmail('cap-reached');
    const spread = [MAX_ATTEMPTS_PER_CODE, MAX_ATTEMPTS_PER_CODE - 1, 1]; // 10 failures over three codes
    let last = { challengeId: '', code: '' };
    for (const [round, failures] of spread.entries()) {
      last = await issued(email, at(T0, round));
      for (let i = 1; i <= failures; i += 1) await confirm(last.challengeId, wrong(last.code, i), at(T0, round));
    }
    expect((await challengeRow(last.challengeId))?.attempts).toBe(1); // far from its own per-code cap
    expect(await confirm(last.challengeId, last.code, at(T0, 5))).toEqual({ ok: false, error: 'invalid_code' });
    expect(await sessionsOf(email)).toBe(0);
  });

  it(`C3: at most ${MAX_SENDS_PER_WINDOW} codes are sent to one address per window; later requests look the same but carry no code`, async () => {
    const email = uniqueEmail('send-cap');
    const results: StartedChallenge[] = [];
    for (let i = 0; i < 50; i += 1) results.push(await start(email, at(T0, i)));
    expect(results.filter((r) => r.code !== null)).toHaveLength(MAX_SENDS_PER_WINDOW);
    expect(results.slice(MAX_SENDS_PER_WINDOW).every((r) => r.code === null && r.challengeId.length >= 22)).toBe(true);
    expect(new Set(results.map((r) => r.challengeId)).size).toBe(50);
    expect(await selectRows('SELECT id FROM sign_in_challenges WHERE email = $1', [email])).toHaveLength(MAX_SENDS_PER_WINDOW);
    expect((await start(uniqueEmail('send-cap-other'), at(T0, 50))).code).not.toBeNull(); // other addresses unaffected
    const later = at(T0, THROTTLE_WINDOW_SECONDS + 60);
    const again = await start(email, later);
    expect(again.code).not.toBeNull();
    expect((await confirm(again.challengeId, again.code ?? '', later)).ok).toBe(true);
  });

  it(`C3: 20 sends to one address at once still issue at most ${MAX_SENDS_PER_WINDOW} codes (the cap is counted under the lock)`, async () => {
    const email = uniqueEmail('send-cap-parallel');
    const results = await Promise.all(Array.from({ length: 20 }, () => start(email, T0)));
    expect(results.filter((r) => r.code !== null)).toHaveLength(MAX_SENDS_PER_WINDOW);
    expect(await selectRows('SELECT id FROM sign_in_challenges WHERE email = $1', [email])).toHaveLength(MAX_SENDS_PER_WINDOW);
  });
});

describe('C4 one code, one session', () => {
  it('C4: the same correct code submitted twice at once creates exactly one session', async () => {
    for (let i = 0; i < 10; i += 1) {
      const email = uniqueEmail('double-submit');
      const { challengeId, code } = await issued(email, at(T0, i));
      const results = await Promise.all([confirm(challengeId, code, at(T0, i)), confirm(challengeId, code, at(T0, i))]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(await sessionsOf(email)).toBe(1);
    }
  });
});

describe('W4 malformed codes', () => {
  it.each([
    ['5 digits', '12345'],
    ['7 digits', '1234567'],
    ['1 000 characters', '1'.repeat(1000)],
    ['Arabic-Indic digits', '١٢٣٤٥٦'],
    ['Extended Arabic-Indic digits', '۱۲۳۴۵۶'],
    ['fullwidth digits', '１２３４５６'],
    ['Devanagari digits', '१२३४५६'],
    ['a leading space', ' 123456'],
    ['a trailing newline', '123456\n'],
    ['inner whitespace', '123 456'],
    ['a sign', '+12345'],
    ['an exponent', '1e5000'],
    ['NUL', '12345\u0000'],
    ['a number, not a string', 123456],
    ['null', null],
  ])('W4: a code with %s is not well formed', (_label, code) => {
    expect(isWellFormedCode(code)).toBe(false);
  });

  it('W4: six ASCII digits are well formed, leading zeros included', () => {
    expect(isWellFormedCode('000123')).toBe(true);
  });

  it('W4: a malformed code is answered invalid_code, never an exception, and leaves the right code working', async () => {
    const email = uniqueEmail('malformed');
    const { challengeId, code } = await issued(email);
    for (const malformed of ['٠١٢٣٤٥', '1'.repeat(1000), '']) {
      await expect(confirm(challengeId, malformed)).resolves.toEqual({ ok: false, error: 'invalid_code' });
    }
    expect((await confirm(challengeId, code)).ok).toBe(true);
  });
});
