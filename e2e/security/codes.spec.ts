import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { uniqueEmail } from '../support/flows';
import { confirmCode, Jar, mailTo, requestCode, send, signInOverHttp, type Answer } from './support/http';
import { sharedServer } from './support/server';

/** C1–C5 over HTTP against `next start`, counting attempts, challenges and sessions in its database. */
const server = sharedServer();

/** A row the test knows exists (a count, a session it created). */
function query<T>(sql: string, ...params: unknown[]): T {
  const row = server().queryRow<T>(sql, ...params);
  if (row === undefined) throw new Error(`no row for ${sql}`);
  return row;
}

const attemptsOf = (email: string) => query<{ n: number }>('SELECT coalesce(sum(attempts), 0) AS n FROM sign_in_challenges WHERE email = ?', email).n;
const sessionsOf = (email: string) =>
  query<{ n: number }>('SELECT count(*) AS n FROM sessions JOIN users ON users.id = sessions.user_id WHERE users.email = ?', email).n;
/** A page's form post (Accept: text/html) and a fetch client. */
const PAGE_AND_FETCH: Array<Record<string, string>> = [{}, { accept: 'text/html' }];
const wrongOf = (code: string, offset = 1) => ((Number(code) + offset) % 1_000_000).toString().padStart(6, '0');

/**
 * Everything a client can observe about an answer except the random challenge id in its cookie,
 * the CSP nonce (new for every answer) and the clock: status, body, every header name and value,
 * every cookie attribute (Date, and the cookie's Expires that is Date + Max-Age, are left out;
 * Max-Age is compared).
 */
function observable(answer: Answer): unknown {
  const headers = [...answer.headers]
    .filter(([name]) => name !== 'date' && name !== 'set-cookie')
    .map(([name, value]) => [name, name === 'content-security-policy' ? value.replace(/'nonce-[^']+'/, "'nonce-…'") : value]);
  const cookies = answer.cookies.map((c) => {
    const { expires: _clock, ...attributes } = c.attributes;
    return { name: c.name, attributes, valueLength: c.value.length };
  });
  return { status: answer.status, body: answer.text, headers, cookies };
}

/**
 * observable() for answers that explain a limit (C7): the time it lifts, in its message and in
 * Retry-After, moves with the clock, so digits are left out; everything else must match.
 */
function observableLimit(answer: Answer): unknown {
  const seen = observable(answer) as { body: string; headers: Array<[string, string]> };
  const clocked = new Set(['retry-after', 'content-length', 'location']);
  const headers = seen.headers.map(([name, value]) => [name, clocked.has(name) ? value.replace(/\d+/g, '#') : value]);
  return { ...seen, body: seen.body.replace(/\d+/g, '#'), headers };
}

test.describe('C1 one code: 6 digits, 10 minutes, single use, bound to its challenge, replaced by a resend', () => {
  test('C1: the emailed code is 6 digits and expires 10 minutes after it was issued', async () => {
    const email = uniqueEmail('c1-shape');
    const { code } = await requestCode(server().url, email);
    expect(code).toMatch(/^[0-9]{6}$/);
    const row = query<{ created: string; expires: string }>('SELECT created_at AS created, expires_at AS expires FROM sign_in_challenges WHERE email = ?', email);
    expect(Date.parse(row.expires) - Date.parse(row.created)).toBe(10 * 60 * 1000);
  });

  test('C1: a code works once', async () => {
    const { jar, code } = await requestCode(server().url, uniqueEmail('c1-once'));
    const again = jar.copy();
    expect((await confirmCode(server().url, jar, code)).status).toBe(303);
    expect((await confirmCode(server().url, again, code)).status).toBe(400);
  });

  test("C1: a code is refused with another browser's challenge, even a challenge for the same address", async () => {
    const email = uniqueEmail('c1-bound');
    const mine = await requestCode(server().url, email);
    const other = await requestCode(server().url, uniqueEmail('c1-bound-other'));
    expect((await confirmCode(server().url, other.jar.copy(), mine.code)).status).toBe(400);
    expect((await confirmCode(server().url, new Jar(), mine.code)).status).toBe(400);
    expect((await confirmCode(server().url, mine.jar, mine.code)).status).toBe(303);
  });

  test('C1: an old code after a resend is refused; the new one works', async () => {
    const email = uniqueEmail('c1-resend');
    const first = await requestCode(server().url, email);
    const second = await requestCode(server().url, email);
    expect(second.code === first.code ? 'same code twice' : 'fresh code').toBe('fresh code');
    expect((await confirmCode(server().url, first.jar, first.code)).status).toBe(400);
    expect((await confirmCode(server().url, second.jar, second.code)).status).toBe(303);
  });

  test('C1: a code past its expiry is refused', async () => {
    const email = uniqueEmail('c1-expired');
    const { jar, code } = await requestCode(server().url, email);
    const db = server().openDatabase();
    db.prepare('UPDATE sign_in_challenges SET expires_at = ? WHERE email = ?').run(new Date(Date.now() - 1000).toISOString(), email);
    db.close();
    expect((await confirmCode(server().url, jar, code)).status).toBe(400);
  });
});

test.describe('C2 only an HMAC is stored', () => {
  test('C2: neither the database nor the server log holds the code', async () => {
    const email = uniqueEmail('c2');
    const { code } = await requestCode(server().url, email);
    const row = query<Record<string, unknown>>('SELECT * FROM sign_in_challenges WHERE email = ?', email);
    expect(String(row.code_hmac)).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(code);
    expect(fs.readFileSync(server().logFile, 'utf8')).not.toContain(code);
  });
});

test.describe('C3 attempts, failures and sends are capped', () => {
  test('C3: 5 wrong codes, then the right one is refused, with the same words as any other code (C7: "used up")', async () => {
    const email = uniqueEmail('c3-five');
    const { jar, code } = await requestCode(server().url, email);
    for (let i = 1; i <= 5; i += 1) await confirmCode(server().url, jar.copy(), wrongOf(code, i));
    const right = await confirmCode(server().url, jar.copy(), code);
    const wrong = await confirmCode(server().url, jar, wrongOf(code, 6));
    expect(right.status).toBe(400);
    expect(JSON.parse(right.text)).toMatchObject({ ok: false, error: 'code_used_up' });
    expect(right.text).toBe(wrong.text);
    expect(right.cookies.filter((c) => c.value !== '')).toEqual([]);
    expect(sessionsOf(email)).toBe(0);
  });

  test('C3: 50 wrong guesses in parallel → at most 5 evaluated', async () => {
    const email = uniqueEmail('c3-parallel');
    const { jar, code } = await requestCode(server().url, email);
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => confirmCode(server().url, jar.copy(), wrongOf(code, i + 1))));
    for (const answer of answers) expect(answer.status).toBe(400);
    expect(attemptsOf(email)).toBe(5);
    expect((await confirmCode(server().url, jar, code)).status).toBe(400);
  });

  test('C3: 50 sign-in requests for one address → 5 emails; the other 45 are told the cap, all alike (C7)', async () => {
    const email = uniqueEmail('c3-sends');
    const answers = await Promise.all(Array.from({ length: 50 }, () => send(server().url, '/sign-in/send', { form: { email }, sameOrigin: true })));
    const sent = answers.filter((answer) => answer.status === 202);
    const refused = answers.filter((answer) => answer.status === 429);
    expect([sent.length, refused.length]).toEqual([5, 45]);
    for (const answer of sent) expect(observable(answer)).toEqual(observable(sent[0]!));
    for (const answer of refused) expect(observableLimit(answer)).toEqual(observableLimit(refused[0]!));
    expect(JSON.parse(refused[0]?.text ?? '')).toMatchObject({ ok: false, error: 'send_limit', message: expect.stringContaining('at most 5 codes') });
    expect(Number(refused[0]?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(query<{ n: number }>('SELECT count(*) AS n FROM sign_in_challenges WHERE email = ?', email).n).toBe(5);
    expect(await mailTo(email)).toHaveLength(5);
  });

  test('C3: an address that failed 10 codes is locked out: no new code is sent, and it is told so (C7)', async () => {
    const email = uniqueEmail('c3-lockout');
    for (let round = 0; round < 2; round += 1) {
      const { jar, code } = await requestCode(server().url, email);
      for (let i = 1; i <= 5; i += 1) await confirmCode(server().url, jar.copy(), wrongOf(code, i));
    }
    expect(attemptsOf(email)).toBe(10);
    const mailBefore = (await mailTo(email)).length;
    const locked = await send(server().url, '/sign-in/send', { form: { email }, sameOrigin: true });
    expect(locked.status).toBe(429);
    expect(JSON.parse(locked.text)).toMatchObject({ ok: false, error: 'address_locked', message: expect.stringContaining('locked for 15 minutes') });
    expect(await mailTo(email)).toHaveLength(mailBefore);
    expect(query<{ n: number }>('SELECT count(*) AS n FROM sign_in_challenges WHERE email = ?', email).n).toBe(2);
  });
});

test.describe('C4 one code, one session', () => {
  test('C4: the same correct code submitted twice at once creates exactly one session', async () => {
    for (let i = 0; i < 5; i += 1) {
      const email = uniqueEmail('c4');
      const { jar, code } = await requestCode(server().url, email);
      const answers = await Promise.all([confirmCode(server().url, jar.copy(), code), confirmCode(server().url, jar.copy(), code)]);
      expect(answers.map((a) => a.status).sort()).toEqual([303, 400]);
      expect(sessionsOf(email)).toBe(1);
    }
  });
});

test.describe('C5 no enumeration', () => {
  test('C5: /sign-in/send answers a known and an unknown address identically (status, body, headers), for pages and fetch clients', async () => {
    const known = uniqueEmail('c5-known');
    await signInOverHttp(server().url, known);
    const unknown = uniqueEmail('c5-unknown');
    for (const headers of PAGE_AND_FETCH) {
      const a = await send(server().url, '/sign-in/send', { form: { email: known }, sameOrigin: true, headers });
      const b = await send(server().url, '/sign-in/send', { form: { email: unknown }, sameOrigin: true, headers });
      expect(a.status).toBe(Object.keys(headers).length ? 303 : 202);
      expect(observable(a)).toEqual(observable(b));
    }
  });

  test('C5/C7: a known address over its send cap, or locked out, is told so exactly as an unknown address in the same state is', async () => {
    const sendTo = (email: string, headers: Record<string, string> = {}) => send(server().url, '/sign-in/send', { form: { email }, sameOrigin: true, headers });
    const known = [uniqueEmail('c5-capped-known'), uniqueEmail('c5-locked-known')];
    for (const email of known) await signInOverHttp(server().url, email);
    const unknown = [uniqueEmail('c5-capped-unknown'), uniqueEmail('c5-locked-unknown')];
    // Capped: five codes in the window (a sign-up spent one of the known address's five).
    for (let i = 0; i < 4; i += 1) await sendTo(known[0]!);
    for (let i = 0; i < 5; i += 1) await sendTo(unknown[0]!);
    // Locked: ten wrong codes since the last sign-in.
    for (const email of [known[1]!, unknown[1]!]) {
      for (let round = 0; round < 2; round += 1) {
        const { jar, code } = await requestCode(server().url, email);
        for (let i = 1; i <= 5; i += 1) await confirmCode(server().url, jar.copy(), wrongOf(code, i));
      }
    }
    for (const headers of PAGE_AND_FETCH) {
      for (const pair of [0, 1]) {
        const a = await sendTo(known[pair]!, headers);
        const b = await sendTo(unknown[pair]!, headers);
        expect(a.status).toBe(Object.keys(headers).length ? 303 : 429);
        expect(observableLimit(a)).toEqual(observableLimit(b));
      }
    }
  });

  test('C5: /verify/confirm answers a wrong code for a known and an unknown address identically; a right code signs in or up alike', async () => {
    const known = uniqueEmail('c5-verify-known');
    await signInOverHttp(server().url, known);
    const unknown = uniqueEmail('c5-verify-unknown');
    const k = await requestCode(server().url, known);
    const u = await requestCode(server().url, unknown);
    for (const headers of PAGE_AND_FETCH) {
      const a = await send(server().url, '/verify/confirm', { form: { code: wrongOf(k.code) }, cookies: k.jar.copy(), sameOrigin: true, headers });
      const b = await send(server().url, '/verify/confirm', { form: { code: wrongOf(u.code) }, cookies: u.jar.copy(), sameOrigin: true, headers });
      expect(observable(a)).toEqual(observable(b));
    }
    const signedIn = await confirmCode(server().url, k.jar, k.code);
    const signedUp = await confirmCode(server().url, u.jar, u.code);
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe(signedUp.headers.get('location'));
    expect(signedIn.cookies.map((c) => c.name)).toEqual(signedUp.cookies.map((c) => c.name));
  });
});
