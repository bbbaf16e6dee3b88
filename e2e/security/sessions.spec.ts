import { createHmac, randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { latestCode, uniqueEmail } from '../support/flows';
import { claimsOf, Jar, send, signInOverHttp, type Answer } from './support/http';
import { sharedServer } from './support/server';

/**
 * T1–T3, L1–L5 and L8 over HTTP against `next start`. The spec knows its server's keyring, so it
 * can forge tokens with the real secret (algorithm confusion) as well as without it, and reads the
 * server's database to show what a refused request did not change.
 */
const server = sharedServer();

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const parts = (token: string) => {
  const [h = '', p = ''] = token.split('.');
  const json = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>;
  return { header: json(h), payload: json(p) };
};
function sign(header: object, payload: object, secret: Buffer | null, hash = 'sha256'): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return secret ? `${input}.${createHmac(hash, secret).update(input).digest('base64url')}` : `${input}.`;
}
const serverSecret = (): Buffer => Buffer.from(server().keys.split(':')[1] ?? '', 'base64url');

function sessionState(jti: string): { gen: number; revoked: string | null; reason: string | null } | undefined {
  const db = server().openDatabase();
  try {
    return db.prepare('SELECT refresh_generation AS gen, revoked_at AS revoked, revoked_reason AS reason FROM sessions WHERE id = ?').get(jti) as never;
  } finally {
    db.close();
  }
}

/** A page request with only an access cookie: the page's own check answers (the proxy does not run). */
const page = (access: string | undefined) => send(server().url, '/', { cookies: `signet_at=${access ?? ''}` });
/** A page request with only a refresh cookie: the proxy-matched path. */
const proxied = (refresh: string | undefined) => send(server().url, '/', { cookies: `signet_rt=${refresh ?? ''}` });
const refreshWith = (refresh: string | undefined) => send(server().url, '/refresh', { method: 'POST', cookies: `signet_rt=${refresh ?? ''}`, sameOrigin: true });

function expectSentToSignIn(answer: Answer): void {
  expect([303, 307]).toContain(answer.status);
  expect(answer.headers.get('location') ?? '').toContain('/sign-in');
  expect(answer.text).not.toContain('You are signed in');
}

async function victim() {
  const email = uniqueEmail('victim');
  const jar = await signInOverHttp(server().url, email);
  const access = jar.get('signet_at') ?? '';
  const refresh = jar.get('signet_rt') ?? '';
  return { email, jar, access, refresh, jti: claimsOf(access).jti };
}

test.describe('T1–T3 hostile tokens over HTTP', () => {
  test('T1, T2, T3: forged, confused, tampered and swapped tokens are a clean sign-in-again on the page, the proxy and /refresh', async () => {
    const v = await victim();
    const a = parts(v.access);
    const r = parts(v.refresh);
    const attacker = randomBytes(32);
    const hostile = (token: { header: Record<string, unknown>; payload: Record<string, unknown> }) => [
      ...['none', 'None', 'NONE', 'nOnE'].map((alg) => sign({ ...token.header, alg }, token.payload, null)),
      sign({ ...token.header, alg: 'HS512' }, token.payload, serverSecret(), 'sha512'),
      sign({ ...token.header, alg: 'HS384' }, token.payload, serverSecret(), 'sha384'),
      sign({ ...token.header, alg: 'RS256' }, token.payload, serverSecret()),
      sign(token.header, token.payload, attacker),
      sign({ ...token.header, jwk: { kty: 'oct', k: attacker.toString('base64url') } }, token.payload, attacker),
      sign({ ...token.header, jku: 'https://attacker.test/jwks.json', kid: 'attacker' }, token.payload, attacker),
      ...['__proto__', 'constructor', '../../etc/passwd', 'k'.repeat(10 * 1024)].map((kid) => sign({ ...token.header, kid }, token.payload, serverSecret())),
      JSON.stringify({ protected: v.access.split('.')[0], payload: v.access.split('.')[1], signature: v.access.split('.')[2] }),
    ];
    const flipped = (token: string) => {
      const [h, p, s = ''] = token.split('.');
      const bytes = Buffer.from(s, 'base64url');
      bytes[5] = (bytes[5] ?? 0) ^ 0x80;
      return `${h}.${p}.${bytes.toString('base64url')}`;
    };

    for (const token of [...hostile(a), flipped(v.access), v.refresh]) {
      const answer = await page(token.length > 8000 ? token.slice(0, 8000) : token);
      expectSentToSignIn(answer);
    }
    for (const token of [...hostile(r), flipped(v.refresh), v.access]) {
      const refreshed = await refreshWith(token.length > 8000 ? token.slice(0, 8000) : token);
      expect(refreshed.status).toBe(401);
      expect(refreshed.cookies.filter((c) => c.value !== '')).toEqual([]);
      expectSentToSignIn(await proxied(token.length > 8000 ? token.slice(0, 8000) : token));
    }
    // None of it touched the victim's session, which still works.
    expect(sessionState(v.jti)).toEqual({ gen: 0, revoked: null, reason: null });
    expect((await page(v.access)).status).toBe(200);
  });
});

test.describe('L8 a key the server no longer holds', () => {
  test('L8: tokens whose kid is not in the keyring get a clean "please sign in again", never a 500', async () => {
    const v = await victim();
    const retired = randomBytes(32);
    const access = sign({ ...parts(v.access).header, kid: 'retired1' }, parts(v.access).payload, retired);
    const refresh = sign({ ...parts(v.refresh).header, kid: 'retired1' }, parts(v.refresh).payload, retired);
    expectSentToSignIn(await page(access));
    expectSentToSignIn(await proxied(refresh));
    const refreshed = await refreshWith(refresh);
    expect(refreshed.status).toBe(401);
    expect(JSON.parse(refreshed.text)).toMatchObject({ error: 'signed_out', message: 'Please sign in again.' });
    const signIn = await send(server().url, '/sign-in', { cookies: `signet_at=${access}; signet_rt=${refresh}` });
    expect(signIn.status).toBe(200);
    expect(signIn.text).toContain('Sign in to Signet');
  });
});

test.describe('L1 no fixation', () => {
  test("L1: signing in replaces whatever session cookies the browser had, including an attacker's planted session", async () => {
    const base = server().url;
    const attacker = await victim();
    const email = uniqueEmail('fixated');
    // The victim's browser carries the attacker's live session cookies when it signs in.
    const browser = new Jar({ signet_at: attacker.access, signet_rt: attacker.refresh });
    const since = Date.now() - 1000;
    await send(base, '/sign-in/send', { form: { email }, cookies: browser, sameOrigin: true });
    const confirmed = await send(base, '/verify/confirm', { form: { code: await latestCode(email, since), persistent: 'on' }, cookies: browser, sameOrigin: true });
    expect(confirmed.status).toBe(303);
    const set = Object.fromEntries(confirmed.cookies.map((c) => [c.name, c.value]));
    expect(set.signet_at).toBeTruthy();
    expect(set.signet_rt).toBeTruthy();
    const jti = claimsOf(set.signet_at).jti;
    expect(jti).not.toBe(attacker.jti);
    expect(claimsOf(set.signet_rt).jti).toBe(jti);
    expect(sessionState(jti)).toEqual({ gen: 0, revoked: null, reason: null });
    const home = await send(base, '/', { cookies: browser });
    expect(home.text).toContain(email);
    expect(home.text).not.toContain(attacker.email);
  });
});

test.describe('L2 revocation is immediate', () => {
  test("L2: after sign-out the session's unexpired access token is refused on the page, its refresh token at /refresh and on the proxy path", async () => {
    const v = await victim();
    const signedOut = await send(server().url, '/sign-out', { method: 'POST', cookies: v.jar.copy(), sameOrigin: true });
    expect(signedOut.status).toBe(303);
    expect(sessionState(v.jti)).toMatchObject({ reason: 'sign_out' });
    expect(claimsOf(v.access).exp * 1000).toBeGreaterThan(Date.now());
    expectSentToSignIn(await page(v.access));
    const proxy = await proxied(v.refresh);
    expectSentToSignIn(proxy);
    expect(proxy.cookies.find((c) => c.name === 'signet_notice')?.value).toBeTruthy();
    expect((await refreshWith(v.refresh)).status).toBe(401);
  });

  test('L2: a revocation written by another process is honoured on the very next request', async () => {
    const v = await victim();
    expect((await page(v.access)).status).toBe(200);
    const db = server().openDatabase();
    db.prepare("UPDATE sessions SET revoked_at = ?, revoked_reason = 'admin' WHERE id = ?").run(new Date().toISOString(), v.jti);
    db.close();
    expectSentToSignIn(await page(v.access));
    expect((await refreshWith(v.refresh)).status).toBe(401);
  });

  test('L2: a page that finds its session ended sends the browser by /sign-in/ended, which signs it out and says why; the address alone signs nobody out', async () => {
    const v = await victim();
    const ended = (jar: Jar) => send(server().url, '/sign-in/ended?next=%2Fsettings%2Fsecurity', { cookies: jar.copy() });
    // While the session lives, the address moves on and changes no cookie.
    const live = await ended(v.jar);
    expect(live.status).toBe(303);
    expect(live.headers.get('location')).toBe('/settings/security');
    expect(live.cookies).toEqual([]);
    expect(sessionState(v.jti)?.revoked).toBeNull();

    const db = server().openDatabase();
    db.prepare("UPDATE sessions SET revoked_at = ?, revoked_reason = 'admin' WHERE id = ?").run(new Date().toISOString(), v.jti);
    db.close();
    const onPage = await page(v.access);
    expect(onPage.headers.get('location') ?? '').toContain('/sign-in/ended?next=');
    const after = await ended(v.jar);
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toBe('/sign-in?next=%2Fsettings%2Fsecurity');
    const set = new Map(after.cookies.map((cookie) => [cookie.name, cookie]));
    expect(set.get('signet_at')?.value).toBe('');
    expect(set.get('signet_rt')?.value).toBe('');
    const notice = set.get('signet_notice')?.value ?? '';
    expect(JSON.parse(Buffer.from(notice, 'base64url').toString())).toMatchObject({ reason: 'admin' });
  });
});

test.describe('L3 refresh rotation with reuse detection', () => {
  test('L3: after 3 rotations, replaying generation 0 ends the session and kills its current access and refresh tokens', async () => {
    const v = await victim();
    const generations = [v.jar.copy()];
    for (let i = 0; i < 3; i += 1) {
      const jar = generations.at(-1)!.copy();
      expect((await send(server().url, '/refresh', { method: 'POST', cookies: jar, sameOrigin: true })).status).toBe(204);
      generations.push(jar);
    }
    const current = generations[3]!;
    expect(claimsOf(current.get('signet_rt')).gen).toBe(3);
    expect((await page(current.get('signet_at'))).status).toBe(200);

    const replay = await refreshWith(v.refresh);
    expect(replay.status).toBe(401);
    expect(sessionState(v.jti)).toMatchObject({ reason: 'reuse_detected' });
    expectSentToSignIn(await page(current.get('signet_at')));
    expect((await refreshWith(current.get('signet_rt'))).status).toBe(401);
  });

  test('L3: generation n-2 inside the grace window is reuse', async () => {
    const v = await victim();
    const jar = v.jar.copy();
    for (let i = 0; i < 2; i += 1) expect((await send(server().url, '/refresh', { method: 'POST', cookies: jar, sameOrigin: true })).status).toBe(204);
    expect((await refreshWith(v.refresh)).status).toBe(401);
    expect(sessionState(v.jti)).toMatchObject({ reason: 'reuse_detected' });
  });

  test('L3: the previous generation inside the grace window gets the current tokens', async () => {
    const v = await victim();
    const tab = v.jar.copy();
    expect((await send(server().url, '/refresh', { method: 'POST', cookies: tab, sameOrigin: true })).status).toBe(204);
    const late = await refreshWith(v.refresh);
    expect(late.status).toBe(204);
    const lateRefresh = late.cookies.find((c) => c.name === 'signet_rt')?.value;
    expect(claimsOf(lateRefresh).gen).toBe(1);
    expect(sessionState(v.jti)).toEqual({ gen: 1, revoked: null, reason: null });
  });

  test("L3: a forged refresh token carrying the victim's jti revokes nothing", async () => {
    const v = await victim();
    const jar = v.jar.copy();
    expect((await send(server().url, '/refresh', { method: 'POST', cookies: jar, sameOrigin: true })).status).toBe(204);
    const { header, payload } = parts(v.refresh);
    for (const gen of [0, 1, 2, 50]) {
      for (const secret of [randomBytes(32), null]) {
        const forged = sign(secret ? header : { ...header, alg: 'none' }, { ...payload, gen }, secret);
        expect((await refreshWith(forged)).status).toBe(401);
        expectSentToSignIn(await proxied(forged));
      }
    }
    expect(sessionState(v.jti)).toEqual({ gen: 1, revoked: null, reason: null });
    expect((await send(server().url, '/refresh', { method: 'POST', cookies: jar, sameOrigin: true })).status).toBe(204);
  });
});

test.describe('L4 concurrency', () => {
  test('L4: 20 parallel refreshes with one cookie all succeed, the generation moves exactly once, nothing is revoked', async () => {
    const v = await victim();
    const answers = await Promise.all(Array.from({ length: 20 }, () => refreshWith(v.refresh)));
    for (const answer of answers) {
      // Each is either new tokens or a retryable answer; here, thanks to the grace window, all are tokens.
      expect([204, 503]).toContain(answer.status);
      if (answer.status === 503) expect(answer.headers.get('retry-after')).toBeTruthy();
    }
    expect(answers.filter((a) => a.status === 204).length).toBeGreaterThanOrEqual(19);
    for (const answer of answers.filter((a) => a.status === 204)) expect(claimsOf(answer.cookies.find((c) => c.name === 'signet_rt')?.value).gen).toBe(1);
    expect(sessionState(v.jti)).toEqual({ gen: 1, revoked: null, reason: null });
  });

  test('L4: 20 parallel page loads with an expired access token (refresh cookie only) all render signed in', async () => {
    const v = await victim();
    const answers = await Promise.all(Array.from({ length: 20 }, () => proxied(v.refresh)));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.text).toContain(v.email);
    }
    expect(sessionState(v.jti)).toEqual({ gen: 1, revoked: null, reason: null });
  });

  test('L4: a refresh racing a sign-out always ends revoked (looped, both refresh paths)', async () => {
    for (let i = 0; i < 12; i += 1) {
      const v = await victim();
      const refresher = new Jar({ signet_rt: v.refresh });
      const viaProxy = i % 2 === 1;
      const [refreshed] = await Promise.all([
        viaProxy ? send(server().url, '/', { cookies: refresher }) : send(server().url, '/refresh', { method: 'POST', cookies: refresher, sameOrigin: true }),
        send(server().url, '/sign-out', { method: 'POST', cookies: v.jar.copy(), sameOrigin: true }),
      ]);
      expect(refreshed.status).toBeLessThan(500);
      expect(sessionState(v.jti)?.revoked).not.toBeNull();
      // Whatever the refresh handed out is dead too.
      expectSentToSignIn(await page(refresher.get('signet_at') ?? v.access));
      expect((await refreshWith(refresher.get('signet_rt') ?? v.refresh)).status).toBe(401);
    }
  });
});

test.describe('L5 absolute lifetime', () => {
  test('L5: refresh never moves the session end: the refresh token keeps its exp and the cookie its end', async () => {
    const v = await victim();
    const end = claimsOf(v.refresh).exp;
    const jar = v.jar.copy();
    for (let i = 0; i < 3; i += 1) {
      const answer = await send(server().url, '/refresh', { method: 'POST', cookies: jar, sameOrigin: true });
      const cookie = answer.cookies.find((c) => c.name === 'signet_rt');
      expect(claimsOf(cookie?.value).exp).toBe(end);
      // The cookie dies no later than the session: Max-Age never reaches past the fixed end.
      expect(Date.now() / 1000 + Number(cookie?.attributes['max-age'])).toBeLessThanOrEqual(end + 1);
    }
    expect(end - claimsOf(v.refresh).iat).toBe(30 * 86_400);
  });

  test('L5: "stay signed in" unticked gives a refresh cookie without Max-Age or Expires (it dies with the browser)', async () => {
    const jar = new Jar();
    const email = uniqueEmail('browser-session');
    const since = Date.now() - 1000;
    await send(server().url, '/sign-in/send', { form: { email }, cookies: jar, sameOrigin: true });
    const confirmed = await send(server().url, '/verify/confirm', { form: { code: await latestCode(email, since), device: 'Kiosk' }, cookies: jar, sameOrigin: true });
    const refresh = confirmed.cookies.find((c) => c.name === 'signet_rt');
    expect(refresh?.value).toBeTruthy();
    expect(refresh?.attributes['max-age']).toBeUndefined();
    expect(refresh?.attributes.expires).toBeUndefined();
    const refreshed = await send(server().url, '/refresh', { method: 'POST', cookies: jar, sameOrigin: true });
    expect(refreshed.cookies.find((c) => c.name === 'signet_rt')?.attributes['max-age']).toBeUndefined();
    expect(claimsOf(refresh?.value).exp - claimsOf(refresh?.value).iat).toBe(12 * 3600);
  });
});

test.describe('The JSON routes', () => {
  const api = (access: string | undefined) => send(server().url, '/api/session', { cookies: `signet_at=${access ?? ''}` });

  test('GET /api/session: the session’s public facts when signed in, never a token or an id; 401 JSON when signed out', async () => {
    const v = await victim();
    const answer = await api(v.access);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toContain('no-store');
    const body = JSON.parse(answer.text) as { ok: boolean; session: Record<string, unknown> };
    expect(body.ok).toBe(true);
    expect(body.session).toMatchObject({ email: v.email, org: { role: 'owner' }, staySignedIn: true });
    for (const secret of [v.access, v.refresh, v.jti]) expect(answer.text).not.toContain(secret);

    for (const signedOut of [await api(undefined), await send(server().url, '/api/session')]) {
      expect(signedOut.status).toBe(401);
      expect(JSON.parse(signedOut.text)).toMatchObject({ ok: false, error: 'signed_out' });
    }
    const forged = sign(parts(v.access).header, { ...parts(v.access).payload, sub: 'someone-else' }, randomBytes(32));
    expect((await api(forged)).status).toBe(401);
  });

  test('L2: GET /api/session is refused on the request after another process ends the session or removes the membership, though it had just answered', async () => {
    for (const change of [
      (jti: string) => ["UPDATE sessions SET revoked_at = ?, revoked_reason = 'admin' WHERE id = ?", new Date().toISOString(), jti] as const,
      (jti: string) => ['DELETE FROM memberships WHERE user_id = (SELECT user_id FROM sessions WHERE id = ?)', jti] as const,
    ]) {
      const v = await victim();
      expect((await api(v.access)).status).toBe(200);
      expect((await api(v.access)).status).toBe(200);
      const [statement, ...values] = change(v.jti);
      const db = server().openDatabase();
      db.prepare(statement).run(...values);
      db.close();
      expect((await api(v.access)).status).toBe(401);
    }
  });

  test('GET /api/health answers from the process alone; the benchmark’s unguarded twin of /api/session is not in this build', async () => {
    const health = await send(server().url, '/api/health');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.text)).toEqual({ ok: true });
    const v = await victim();
    expect((await send(server().url, '/api/session-unguarded', { cookies: `signet_at=${v.access}` })).status).toBe(404);
  });
});
