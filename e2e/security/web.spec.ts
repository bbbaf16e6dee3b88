import http from 'node:http';
import { expect, test, type Browser } from '@playwright/test';
import { uniqueEmail } from '../support/flows';
import { browserWith, clickThenConfirm, recordAction, replay, type RecordedAction } from './support/actions';
import { claimsOf, confirmCode, Jar, LEAK_PATTERNS, mailTo, PROBE, requestCode, send, signInOverHttp, type Answer, type RequestOptions } from './support/http';
import { sharedServer } from './support/server';
import { createOrgAs, inviteAndAccept } from './support/orgs';
import { withStore } from './support/store';

/**
 * W1–W4 and P2, black-box against `next start`, on the run's shared server, whose database the
 * spec reads (row by row, for the people it signs in) to prove that refused requests changed nothing.
 */
const server = sharedServer();

const STATE_CHANGING = ['/sign-in/send', '/verify/confirm', '/refresh', '/sign-out'] as const;
const CROSS_SITE: Array<[string, Record<string, string>]> = [
  ['another Origin', { origin: 'https://attacker.test' }],
  ['Origin: null', { origin: 'null' }],
  ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
  ['Sec-Fetch-Site: same-site', { 'sec-fetch-site': 'same-site' }],
  ['another Origin with Sec-Fetch-Site: cross-site', { origin: 'https://attacker.test', 'sec-fetch-site': 'cross-site' }],
];

function query<T>(sql: string, ...params: unknown[]): T | undefined {
  return server().queryRow<T>(sql, ...params);
}

/** A request that follows Next's own `?_rsc` cache-busting redirect (a 307: same method), as the client router would. */
async function follow(path: string, options: RequestOptions = {}): Promise<Answer> {
  let answer = await send(server().url, path, options);
  for (let hop = 0; hop < 3 && answer.status === 307 && /[?&]_rsc/.test(answer.headers.get('location') ?? ''); hop += 1) {
    answer = await send(server().url, answer.headers.get('location') ?? '/', options);
  }
  return answer;
}

const get = (path: string, headers: Record<string, string> = {}, cookies?: Jar | string): Promise<Answer> => follow(path, { headers, cookies });

type Person = { email: string; jar: Jar; jti: string; userId: string };

async function person(email: string, device: string): Promise<Person> {
  const jar = await signInOverHttp(server().url, email, { device });
  const claims = claimsOf(jar.get('signet_at'));
  return { email, jar, jti: claims.jti, userId: claims.sub };
}

/**
 * `joiner` joins the org `owner`'s session works in (first created from that session if it is the
 * owner's personal org), accepting an invitation from their own session, which moves into it.
 */
async function joinOrgOf(owner: Person, joiner: Person): Promise<string> {
  return withStore({ DATABASE_PATH: server().databaseFile }, async (store) => {
    const current = query<{ id: string; personal: string | null }>(
      'SELECT o.id, o.personal_user_id AS personal FROM sessions s JOIN orgs o ON o.id = s.org_id WHERE s.id = ?',
      owner.jti,
    );
    const orgId = current?.personal ? await createOrgAs(store, owner, `Team of ${owner.email.split('@')[0] ?? ''}`) : (current?.id ?? '');
    await inviteAndAccept(store, { userId: owner.userId, orgId }, joiner, 'member');
    return orgId;
  });
}

/**
 * The victim of the action attacks: the owner of an org with a member, signed in on a laptop and
 * a phone, and a member of a second org. Every server action of the signed-in pages is recorded
 * once from the laptop's pages (none of them reaches the server) for the specs to replay.
 */
let actionTarget: Promise<{ victim: Person; phone: Person; member: Person; actions: RecordedAction[] }> | undefined;

function actionsTarget(browser: Browser) {
  actionTarget ??= (async () => {
    const victim = await person(uniqueEmail('w2-actions'), 'Victim laptop');
    const phone = await person(victim.email, 'Victim phone');
    const memberEmail = uniqueEmail('w2-actions-member');
    const member = await person(memberEmail, 'Member laptop');
    await joinOrgOf(victim, member);
    const other = await person(uniqueEmail('w2-actions-other'), 'Other laptop');
    const otherOrgId = await joinOrgOf(other, phone); // the victim joins from their phone
    const otherOrg = query<{ name: string }>('SELECT name FROM orgs WHERE id = ?', otherOrgId)?.name ?? '';
    const memberPage = `/settings/org/members/${member.userId}`;
    const { context, page } = await browserWith(browser, server().url, victim.jar);
    const actions = [
      await recordAction(page, 'sign out one device', '/settings/security', clickThenConfirm('Sign out Victim phone', 'Yes, sign out Victim phone')),
      await recordAction(page, 'sign out all others', '/settings/security', async (p) => {
        await p.getByRole('button', { name: 'Sign out all other devices' }).click();
        await p.getByRole('button', { name: 'Yes, sign out 1 other device' }).click();
      }),
      await recordAction(page, 'rename', '/settings/security', async (p) => {
        await p.getByRole('button', { name: 'Rename Victim phone' }).click();
        await p.getByLabel('New name for Victim phone').fill('Renamed cross-site');
        await p.getByRole('button', { name: 'Save name' }).click();
      }),
      await recordAction(page, 'invite', '/settings/org', async (p) => {
        await p.getByLabel('Email address').fill('w2-planted@attacker.test');
        await p.getByRole('button', { name: 'Invite' }).click();
      }),
      await recordAction(page, 'end one session', memberPage, (p) => p.getByRole('button', { name: 'End session on Member laptop' }).click()),
      await recordAction(page, 'end all sessions', memberPage, async (p) => {
        await p.getByRole('link', { name: 'End all their sessions' }).click();
        await p.getByRole('button', { name: 'Yes, end 1 session' }).click();
      }),
      await recordAction(page, 'remove member', memberPage, async (p) => {
        await p.getByRole('link', { name: `Remove ${memberEmail}` }).click();
        await p.getByRole('button', { name: `Yes, remove ${memberEmail}` }).click();
      }),
      await recordAction(page, 'switch org', '/orgs', (p) => p.getByRole('button', { name: `Switch to ${otherOrg}` }).click()),
      await recordAction(page, 'leave org', '/orgs', async (p) => {
        await p.getByRole('link', { name: `Leave ${otherOrg}` }).click();
        await p.getByRole('button', { name: `Leave ${otherOrg}` }).click();
      }),
    ];
    await context.close();
    return { victim, phone, member, actions };
  })();
  return actionTarget;
}

const ORG_ACTIONS = new Set(['invite', 'end one session', 'end all sessions', 'remove member', 'switch org', 'leave org']);

/** Everything the recorded actions could change, read straight from the server's database. */
function actionState(people: Person[]): unknown {
  const db = server().openDatabase();
  try {
    const ids = people.map((p) => p.jti);
    const users = people.map((p) => p.userId);
    return {
      sessions: db.prepare(`SELECT id, org_id, revoked_at, device_label FROM sessions WHERE id IN (${ids.map(() => '?').join(',')}) ORDER BY id`).all(...ids),
      memberships: db.prepare(`SELECT user_id, org_id, role FROM memberships WHERE user_id IN (${users.map(() => '?').join(',')}) ORDER BY user_id, org_id`).all(...users),
      planted: db.prepare("SELECT count(*) AS n FROM org_invitations WHERE email = 'w2-planted@attacker.test'").get(),
    };
  } finally {
    db.close();
  }
}

function expectNoLeak(answer: Answer, secrets: string[], context = ''): void {
  expect(answer.status, context).toBeLessThan(500);
  for (const secret of secrets) expect(answer.text, context).not.toContain(secret);
  for (const pattern of LEAK_PATTERNS) expect(answer.text, context).not.toMatch(pattern);
}

test.describe('W1 authorization is in the server-side check', () => {
  test('W1: without a cookie, x-middleware-subrequest, ?_rsc, RSC and prefetch variants reveal nothing protected', async () => {
    const email = uniqueEmail('w1-victim');
    const owner = await person(email, 'W1 victim laptop');
    const victim = owner.jar;
    const memberEmail = uniqueEmail('w1-member');
    await joinOrgOf(owner, await person(memberEmail, 'W1 member laptop'));
    const memberId = query<{ id: string }>('SELECT id FROM users WHERE email = ?', memberEmail)?.id ?? '';
    const shown: Array<[string, string]> = [
      ['/', email],
      ['/settings/security', 'W1 victim laptop'],
      ['/settings/org', memberEmail],
      [`/settings/org/members/${owner.userId}`, email],
      [`/settings/org/members/${memberId}`, memberEmail],
      ['/orgs', `${email.split('@')[0]}&#x27;s org`],
    ];
    // The data exists and each page shows it to its owner.
    for (const [path, text] of shown) expect((await get(path, {}, victim)).text, path).toContain(text);
    const protectedPages = shown.map(([path]) => path);
    // (Page titles are public: a signed-out visitor is sent to sign in from /orgs all the same.)
    const secrets = [email.split('@')[0] ?? email, memberEmail, 'W1 victim laptop', 'You are signed in', 'Your account', 'Signed-in devices', 'Invite someone', victim.get('signet_at') ?? '', victim.get('signet_rt') ?? '', 'eyJhbGciOi'];

    const repeat = (value: string) => Array.from({ length: 5 }, () => value).join(':');
    const variants: Array<Record<string, string>> = [
      {},
      { 'x-middleware-subrequest': 'middleware' },
      { 'x-middleware-subrequest': 'proxy' },
      { 'x-middleware-subrequest': 'src/middleware' },
      { 'x-middleware-subrequest': 'src/proxy' },
      { 'x-middleware-subrequest': repeat('middleware') },
      { 'x-middleware-subrequest': repeat('proxy') },
      { 'x-middleware-subrequest': repeat('src/middleware') },
      { 'x-middleware-subrequest': repeat('src/proxy') },
      { 'x-middleware-subrequest': 'pages/_middleware' },
      { rsc: '1' },
      { 'next-router-prefetch': '1' },
      { rsc: '1', 'next-router-prefetch': '1' },
      { rsc: '1', 'x-middleware-subrequest': repeat('proxy') },
      { 'x-middleware-prefetch': '1', 'x-middleware-subrequest': repeat('middleware') },
    ];
    const paths = [...protectedPages, ...protectedPages.map((path) => `${path}?_rsc=1`), '/?_rsc', '/dev/mailbox', '/refresh', '/sign-out'];
    for (const path of paths) {
      for (const headers of variants) expectNoLeak(await get(path, headers), secrets, `${path} ${JSON.stringify(headers)}`);
    }
    // A signed-out session's cookies, replayed with the same headers, open nothing either.
    const leaverEmail = uniqueEmail('w1-leaver');
    const leaver = await signInOverHttp(server().url, leaverEmail);
    const dead = leaver.header();
    expect((await send(server().url, '/sign-out', { method: 'POST', cookies: leaver, sameOrigin: true })).status).toBe(303);
    for (const path of ['/', '/settings/security', '/settings/org', '/orgs']) {
      for (const headers of variants) expectNoLeak(await get(path, headers, dead), [leaverEmail, 'You are signed in', 'Signed-in devices', 'Invite someone'], `revoked ${path} ${JSON.stringify(headers)}`);
    }

    // POSTing to the routes with these headers hands out nothing either: no tokens, no session.
    for (const headers of variants) {
      for (const path of ['/refresh', '/sign-out', '/verify/confirm']) {
        const answer = await follow(path, { method: 'POST', headers, sameOrigin: true, form: { code: '123456' } });
        expectNoLeak(answer, secrets, `POST ${path} ${JSON.stringify(headers)}`);
        expect(answer.cookies.filter((c) => c.value !== '')).toEqual([]);
      }
    }
  });

  test('W1: the server actions of the signed-in pages, posted without a cookie under the bypass headers, do nothing', async ({ browser }) => {
    const { victim, phone, member, actions } = await actionsTarget(browser);
    const before = actionState([victim, phone, member]);
    const headers: Array<Record<string, string>> = [
      {},
      { 'x-middleware-subrequest': Array.from({ length: 5 }, () => 'proxy').join(':') },
      { 'x-middleware-subrequest': Array.from({ length: 5 }, () => 'middleware').join(':') },
      { 'x-middleware-subrequest': 'src/proxy' },
      { rsc: '1', 'next-router-prefetch': '1' },
    ];
    for (const action of actions) {
      for (const extra of headers) {
        const answer = await replay(server().url, action, { headers: { ...extra, origin: server().url, 'sec-fetch-site': 'same-origin' } });
        const context = `${action.name} ${JSON.stringify(extra)}`;
        expect(answer.status, context).toBeLessThan(500);
        expect(answer.result, context).toBeUndefined();
        // The action's own session check sends the caller to sign in (an RSC request is first
        // bounced by Next to its cache-busting URL, and never reaches the action at all).
        if (!extra.rsc) expect(answer.redirect ?? answer.headers.get('location') ?? '', context).toContain('/sign-in');
        expect(answer.cookies.filter((c) => c.value !== ''), context).toEqual([]);
      }
    }
    expect(actionState([victim, phone, member])).toEqual(before);
  });
});

test.describe('W2 state-changing routes', () => {
  for (const [label, headers] of CROSS_SITE) {
    test(`W2: a cross-site POST (${label}) to every state-changing route is a 403 and changes nothing`, async () => {
      const base = server().url;

      // /sign-in/send: no challenge row, no email, no cookie.
      const target = uniqueEmail('w2-send');
      const send403 = await send(base, '/sign-in/send', { form: { email: target }, headers });
      expect(send403.status).toBe(403);
      expect(send403.cookies).toEqual([]);
      expect(query<{ n: number }>('SELECT count(*) AS n FROM sign_in_challenges WHERE email = ?', target)?.n).toBe(0);
      expect(await mailTo(target)).toEqual([]);

      // /verify/confirm: wrong codes and then the right one, all refused without counting or consuming.
      const email = uniqueEmail('w2-verify');
      const { jar, code } = await requestCode(base, email);
      for (const guess of ['000000', '111111', '222222', '333333', '444444', '555555', code]) {
        const answer = await send(base, '/verify/confirm', { form: { code: guess, persistent: 'on' }, cookies: jar.copy(), headers });
        expect(answer.status).toBe(403);
        expect(answer.cookies).toEqual([]);
      }
      expect(query<{ attempts: number; consumed_at: string | null }>('SELECT attempts, consumed_at FROM sign_in_challenges WHERE email = ?', email)).toEqual({
        attempts: 0,
        consumed_at: null,
      });

      // /refresh: no new tokens, generation unchanged.
      const session = await signInOverHttp(base, uniqueEmail('w2-session'));
      const { jti } = claimsOf(session.get('signet_rt'));
      const refresh403 = await send(base, '/refresh', { method: 'POST', cookies: session.copy(), headers });
      expect(refresh403.status).toBe(403);
      expect(refresh403.cookies).toEqual([]);

      // /sign-out: the session stays alive and its cookies are not cleared.
      const signOut403 = await send(base, '/sign-out', { method: 'POST', cookies: session.copy(), headers });
      expect(signOut403.status).toBe(403);
      expect(signOut403.cookies).toEqual([]);
      expect(query('SELECT refresh_generation AS gen, revoked_at AS revoked FROM sessions WHERE id = ?', jti)).toEqual({ gen: 0, revoked: null });
      expect((await get('/', {}, session)).status).toBe(200);

      // The same requests from the app's own pages work: the code was neither used up nor counted.
      expect((await confirmCode(base, jar, code)).status).toBe(303);
    });
  }

  test('W2: login CSRF is blocked — an attacker cannot plant their own session in a victim browser', async () => {
    const base = server().url;
    const { jar: attacker, code } = await requestCode(base, uniqueEmail('w2-login-csrf'));
    for (const [, headers] of CROSS_SITE) {
      // A form on the attacker's site posting the attacker's challenge and code: no session cookies come back.
      const planted = await send(base, '/verify/confirm', { form: { code, persistent: 'on' }, cookies: attacker.copy(), headers: { ...headers, accept: 'text/html' } });
      expect(planted.status).toBe(403);
      expect(planted.cookies).toEqual([]);
      const challenge = await send(base, '/sign-in/send', { form: { email: 'attacker@attacker.test' }, headers: { ...headers, accept: 'text/html' } });
      expect(challenge.status).toBe(403);
      expect(challenge.cookies).toEqual([]);
    }
  });

  test('W2: GET and the other methods on state-changing routes are a 405', async () => {
    for (const path of STATE_CHANGING) {
      for (const method of ['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE']) {
        const answer = await send(server().url, path, { method });
        expect(answer.status, `${method} ${path}`).toBe(405);
        expect(answer.cookies).toEqual([]);
      }
    }
  });
});

test.describe('W2 server actions', () => {
  test('W2: cross-site POSTs (every variant) to the server actions of /settings/security, /settings/org, its member pages and /orgs change nothing', async ({ browser }) => {
    const { victim, phone, member, actions } = await actionsTarget(browser);
    const people = [victim, phone, member];
    const before = actionState(people);
    for (const [label, headers] of CROSS_SITE) {
      for (const action of actions) {
        const answer = await replay(server().url, action, { cookies: victim.jar, headers });
        const context = `${action.name}, ${label}`;
        expect(answer.status, context).toBe(403);
        expect(answer.result === undefined || (answer.result as { thrown?: boolean }).thrown, context).toBeTruthy();
        expect(answer.cookies, context).toEqual([]);
        for (const pattern of LEAK_PATTERNS) expect(answer.text, context).not.toMatch(pattern);
      }
      expect(actionState(people), label).toEqual(before);
    }
    // The very same requests from the app's own pages run: the recordings are real actions.
    for (const action of actions) {
      const answer = await replay(server().url, action, { cookies: victim.jar });
      expect(answer.status, action.name).toBeLessThan(400);
      // The security page's actions return their result; the org pages' redirect to a page saying what happened.
      if (ORG_ACTIONS.has(action.name)) expect(answer.redirect, action.name).toMatch(/^\/(settings\/org|orgs)[/?]/);
      else expect(answer.result, action.name).toEqual(expect.objectContaining({ ok: expect.any(Boolean) }));
    }
    expect(actionState(people)).not.toEqual(before);
  });
});

test.describe('W2 server actions posted without JavaScript', () => {
  test('W2, W4: an org action posted as a plain form (no JavaScript) from another site is a 403 and changes nothing; from the app it runs', async ({ browser }) => {
    const owner = await person(uniqueEmail('w2-nojs'), 'No-JS laptop');
    const context = await browser.newContext({ baseURL: server().url, javaScriptEnabled: false });
    await context.addCookies([...owner.jar.values].map(([name, value]) => ({ name, value, url: server().url })));
    const page = await context.newPage();
    await page.goto('/orgs');
    let posted: { contentType: string; body: string } | undefined;
    await page.route((url) => url.pathname === '/orgs', async (route) => {
      const request = route.request();
      if (request.method() !== 'POST') return route.continue();
      posted = { contentType: request.headers()['content-type'] ?? '', body: request.postData() ?? '' };
      return route.abort();
    });
    const name = `Planted ${Date.now().toString(36)}`;
    await page.getByLabel('Name').fill(name);
    await page.getByRole('button', { name: 'Create organisation' }).click();
    await expect.poll(() => posted !== undefined).toBe(true);
    await context.close();
    expect(posted?.body).toContain('$ACTION_ID_'); // a server action, sent as a plain form

    const created = () => query<{ n: number }>('SELECT count(*) AS n FROM orgs WHERE name = ?', name)?.n;
    for (const [label, headers] of CROSS_SITE) {
      const answer = await send(server().url, '/orgs', { method: 'POST', body: posted?.body, cookies: owner.jar.copy(), headers: { 'content-type': posted?.contentType ?? '', ...headers } });
      expect(answer.status, label).toBe(403);
      expect(answer.cookies, label).toEqual([]);
      for (const pattern of LEAK_PATTERNS) expect(answer.text, label).not.toMatch(pattern);
    }
    expect(created()).toBe(0);
    const own = await send(server().url, '/orgs', { method: 'POST', body: posted?.body, cookies: owner.jar.copy(), sameOrigin: true, headers: { 'content-type': posted?.contentType ?? '' } });
    expect(own.status).toBe(303);
    expect(own.headers.get('location')).toContain('/settings/org?done=created');
    expect(created()).toBe(1);
  });
});

test.describe('C5 and L10: invitations say nothing about accounts', () => {
  test('C5, L10: the invite action answers an address with an account and one without alike, emails both alike, and creates no account', async ({ browser }) => {
    const owner = await person(uniqueEmail('c5-inviter'), 'Inviter laptop');
    await joinOrgOf(owner, await person(uniqueEmail('c5-first'), 'First laptop'));
    const known = uniqueEmail('c5-known');
    await person(known, 'Known laptop');
    const unknown = uniqueEmail('c5-unknown');
    const placeholder = uniqueEmail('c5-placeholder');
    const { context, page } = await browserWith(browser, server().url, owner.jar);
    const invite = await recordAction(page, 'invite', '/settings/org', async (p) => {
      await p.getByLabel('Email address').fill(placeholder);
      await p.getByRole('button', { name: 'Invite' }).click();
    });
    await context.close();

    const answers = [];
    for (const email of [known, unknown]) {
      const answer = await replay(server().url, invite, { cookies: owner.jar, replace: [[placeholder, email]] });
      answers.push({ status: answer.status, result: answer.result, redirect: answer.redirect, cookies: answer.cookies });
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]?.redirect).toContain('/settings/org?done=invited');
    const invitations = async (to: string) => (await mailTo(to)).filter((m) => /invited you to/.test(m.subject));
    const [knownMail, unknownMail] = [await invitations(known), await invitations(unknown)];
    expect(knownMail).toHaveLength(1);
    expect(knownMail.map((m) => m.subject)).toEqual(unknownMail.map((m) => m.subject));
    expect(knownMail[0]?.text.replaceAll(known, '@').replace(/invitations\/\S+/, '')).toBe(unknownMail[0]?.text.replaceAll(unknown, '@').replace(/invitations\/\S+/, ''));
    expect(query<{ n: number }>('SELECT count(*) AS n FROM users WHERE email = ?', unknown)?.n).toBe(0);
    expect(query<{ n: number }>('SELECT count(*) AS n FROM org_invitations WHERE email IN (?, ?)', known, unknown)?.n).toBe(2);
  });
});

test.describe('W3 cookies on the wire', () => {
  test('W3: every cookie Signet sets over a whole session is HttpOnly, SameSite=Lax, Path=/, under 4096 bytes, in a no-store response', async () => {
    const base = server().url;
    const answers: Answer[] = [];
    const record = (answer: Answer): Answer => {
      answers.push(answer);
      return answer;
    };
    const email = uniqueEmail('w3');
    const jar = new Jar();
    record(await send(base, '/sign-in/send', { form: { email }, cookies: jar, sameOrigin: true, headers: { accept: 'text/html' } }));
    const { code } = await requestCode(base, email, jar);
    record(await confirmCode(base, jar, code));
    record(await send(base, '/refresh', { method: 'POST', cookies: jar, sameOrigin: true }));
    const viaProxy = new Jar({ signet_rt: jar.get('signet_rt') ?? '' });
    const proxied = record(await send(base, '/', { cookies: viaProxy }));
    expect(proxied.status).toBe(200);
    const signedOutRefresh = viaProxy.get('signet_rt') ?? '';
    record(await send(base, '/sign-out', { method: 'POST', cookies: viaProxy, sameOrigin: true }));
    record(await send(base, '/refresh', { method: 'POST', cookies: jar, sameOrigin: true }));
    record(await send(base, '/', { cookies: new Jar({ signet_rt: jar.get('signet_rt') ?? 'x' }) }));
    // On a public page the proxy clears the dead cookies and lets the page render: still no-store.
    const publicPage = record(await send(base, '/sign-in', { cookies: new Jar({ signet_rt: signedOutRefresh }) }));
    expect(publicPage.status).toBe(200);
    expect(publicPage.cookies.map((c) => c.name)).toContain('signet_notice');

    const setting = answers.filter((a) => a.cookies.length > 0);
    expect(setting.length).toBeGreaterThanOrEqual(6);
    const names = new Set<string>();
    for (const answer of setting) {
      expect(answer.headers.get('cache-control') ?? '').toMatch(/no-store/);
      for (const cookie of answer.cookies) {
        names.add(cookie.name);
        expect(cookie.attributes.httponly).toBe(true);
        expect(String(cookie.attributes.samesite).toLowerCase()).toBe('lax');
        expect(cookie.attributes.path).toBe('/');
        expect(cookie.attributes.domain).toBeUndefined();
        expect(Buffer.byteLength(cookie.raw)).toBeLessThan(4096);
      }
    }
    expect([...names].sort()).toEqual(['signet_at', 'signet_ch', 'signet_notice', 'signet_rt']);
  });
});

test.describe('W4 malformed input', () => {
  test('W4: malformed and duplicated cookies get a clean answer on every route, never a 500', async () => {
    const base = server().url;
    const real = await signInOverHttp(base, uniqueEmail('w4-cookies'));
    const at = real.get('signet_at') ?? '';
    const rt = real.get('signet_rt') ?? '';
    const cookies = [
      'signet_at=%E0%A4%A',
      'signet_rt=%zz',
      'signet_at="',
      'signet_at=' + 'x'.repeat(3000),
      'signet_rt=a.b.c',
      'signet_at=..',
      `signet_at=${at}.${at}`,
      `signet_at=garbage; signet_at=${at}`,
      `signet_at=${at}; signet_at=garbage`,
      `signet_rt=garbage; signet_rt=${rt}`,
      `signet_rt=${rt}; signet_rt=${rt}`,
      'signet_ch=; signet_ch=%00; signet_ch=' + 'c'.repeat(500),
      'signet_notice=%%%; signet_notice=eyJ9',
      '=; ;;; =x; signet_at',
      'signet_at=\u00e9\u00e8',
    ];
    for (const cookie of cookies) {
      for (const path of ['/', '/sign-in', '/verify', '/dev/mailbox', '/nowhere']) expectNoLeak(await send(base, path, { cookies: cookie }), []);
      for (const path of ['/refresh', '/sign-out']) expectNoLeak(await send(base, path, { method: 'POST', cookies: cookie, sameOrigin: true }), []);
      expectNoLeak(await send(base, '/verify/confirm', { form: { code: '123456' }, cookies: cookie, sameOrigin: true }), []);
    }
  });

  test('W4: odd query strings get a clean page, including names of Object.prototype members', async () => {
    const queries = [
      ...['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '%00', '%', 'x'.repeat(5000)].flatMap((value) => [
        `/sign-in?error=${value}`,
        `/verify?error=${value}`,
        `/sign-in?next=${value}`,
        `/verify?next=${value}`,
      ]),
      '/sign-in?next=%E0%A4%A',
      '/sign-in?next[]=a&next[]=b',
      '/verify?error=format&error=invalid',
      '/verify?next=%0d%0aSet-Cookie:%20x=1',
      // The limits' and the kept form's parameters (issue 13): anything odd is ignored.
      '/verify?limit=sends&until=garbage',
      '/sign-in?limit=failures&until=2999-01-01T00:00:00.000Z',
      '/sign-in?limit=constructor&until=%',
      '/verify?error=wrong&left=-1',
      '/verify?error=wrong&left=__proto__',
      `/verify?device=${'x'.repeat(5000)}&stay=off`,
      '/verify?device=%E2%80%AEevil&stay[]=off',
    ];
    for (const query of queries) {
      const answer = await send(server().url, query);
      expect(answer.status, query.slice(0, 80)).toBe(200);
      expectNoLeak(answer, [], query.slice(0, 80));
      expect(answer.cookies).toEqual([]);
    }
  });

  test('W4: the org pages answer odd query strings and malformed path segments cleanly: a page or a 4xx, never a 500', async () => {
    const owner = await person(uniqueEmail('w4-orgs'), 'W4 laptop');
    const member = await person(uniqueEmail('w4-orgs-member'), 'W4 member laptop');
    await joinOrgOf(owner, member);
    const values = ['constructor', '__proto__', 'toString', '%00', '%', '%E0%A4%A', 'x'.repeat(5000)];
    const pages = ['/settings/org', '/orgs', `/settings/org/members/${member.userId}`];
    const queries = pages.flatMap((page) =>
      values.flatMap((value) => [`${page}?confirm=${value}`, `${page}?done=${value}&error=${value}`, `${page}?confirm=transfer&to=${value}`, `${page}?confirm=revoke&invitation=${value}`]),
    );
    queries.push('/settings/org?confirm=leave&confirm=delete', '/orgs?confirm=leave&org[]=a');
    for (const query of queries) {
      const answer = await send(server().url, query, { cookies: owner.jar.copy() });
      expect(answer.status, query.slice(0, 80)).toBe(200);
      expectNoLeak(answer, [], query.slice(0, 80));
    }
    for (const segment of ['%E0%A4%A', '%', '%00', '..%2F..%2Fetc', 'x'.repeat(5000), 'constructor', 'a'.repeat(43), `${'A'.repeat(42)}=`]) {
      for (const path of [`/invitations/${segment}`, `/settings/org/members/${segment}`]) {
        const answer = await send(server().url, path, { cookies: owner.jar.copy() });
        expect([400, 404], path.slice(0, 80)).toContain(answer.status);
        expectNoLeak(answer, [], path.slice(0, 80));
      }
    }
  });

  test('W4: the "Not you?" page answers any token, malformed or not, with a page that ends nothing (L11)', async () => {
    for (const token of ['%E0%A4%A', 'constructor', '__proto__', 'x'.repeat(5000), '%00', 'a'.repeat(43)]) {
      const answer = await send(server().url, `/not-you?token=${token}`);
      expect([200, 400, 404], token.slice(0, 40)).toContain(answer.status);
      expectNoLeak(answer, [], token.slice(0, 40));
      expect(answer.cookies).toEqual([]);
    }
  });

  test('W4: a crafted next= never sends the browser off-site, after signing in or when already signed in', async () => {
    const base = server().url;
    const crafted = ['/.//attacker.test', '/a/..//attacker.test/phish', '/%2e//attacker.test', '//attacker.test', 'https://attacker.test'];
    const staysHere = (answer: Answer) => {
      expect([303, 307]).toContain(answer.status);
      expect(new URL(answer.headers.get('location') ?? '', base).origin).toBe(base);
    };
    for (const next of crafted) {
      const { jar, code } = await requestCode(base, uniqueEmail('w4-next'));
      const signedIn = await send(base, '/verify/confirm', { form: { code, persistent: 'on', next }, cookies: jar, sameOrigin: true, headers: { accept: 'text/html' } });
      expect(jar.get('signet_at')).toBeTruthy();
      staysHere(signedIn);
      staysHere(await send(base, `/sign-in?next=${encodeURIComponent(next)}`, { cookies: jar }));
    }
  });

  test('W4: two Cookie headers on one request get a clean answer', async () => {
    const url = new URL(server().url);
    for (const path of ['/', '/sign-in']) {
      const status = await new Promise<number>((resolve, reject) => {
        const request = http.request({ host: url.hostname, port: url.port, path, headers: { cookie: ['signet_at=a', 'signet_at=b; signet_rt=c'], 'user-agent': PROBE.userAgent } }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        request.on('error', reject);
        request.end();
      });
      expect(status).toBeGreaterThanOrEqual(200);
      expect(status).toBeLessThan(500);
    }
  });

  test('W4: request headers over 16 KiB are refused with a 431', async () => {
    const big = 'a'.repeat(17 * 1024);
    for (const headers of [{ 'x-padding': big }, { cookie: `signet_at=${big}` }, Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`x-pad-${i}`, 'b'.repeat(500)]))]) {
      for (const path of ['/', '/sign-in', '/refresh']) {
        const answer = await send(server().url, path, { headers });
        expect(answer.status).toBe(431);
      }
    }
  });

  test('W4: bodies over 1 MB are refused with a 413 by the routes that read them; the others ignore them cleanly', async () => {
    const body = 'email=' + 'a'.repeat(1024 * 1024 + 10);
    for (const path of ['/sign-in/send', '/verify/confirm']) {
      for (const type of ['application/x-www-form-urlencoded', 'application/json']) {
        const answer = await send(server().url, path, { body, sameOrigin: true, headers: { 'content-type': type } });
        expect(answer.status).toBe(413);
        expectNoLeak(answer, []);
      }
    }
    for (const path of ['/refresh', '/sign-out', '/', '/sign-in']) {
      const answer = await send(server().url, path, { method: 'POST', body, sameOrigin: true, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(answer.status).toBeLessThan(500);
    }
  });

  test('W4: wrong JSON types and wrong content types are a clear 400 or 415', async () => {
    const base = server().url;
    const { jar } = await requestCode(base, uniqueEmail('w4-json'));
    const bodies: Array<[string, string, number]> = [
      ['{"code":123456}', 'application/json', 400],
      ['{"code":["123456"]}', 'application/json', 400],
      ['{"code":{"$gt":""}}', 'application/json', 400],
      ['{"code":null}', 'application/json', 400],
      ['["123456"]', 'application/json', 400],
      ['"123456"', 'application/json', 400],
      ['{"code":', 'application/json', 400],
      ['code=123456', 'text/plain', 415],
      ['code=123456', 'multipart/form-data; boundary=x', 415],
    ];
    for (const [body, type, status] of bodies) {
      for (const path of ['/verify/confirm', '/sign-in/send']) {
        const answer = await send(base, path, { body, cookies: jar.copy(), sameOrigin: true, headers: { 'content-type': type } });
        expect(answer.status, `${path} ${body}`).toBe(status);
        expect(JSON.parse(answer.text)).toMatchObject({ ok: false });
      }
    }
    const email = await send(base, '/sign-in/send', { json: { email: 'not-an-address' }, sameOrigin: true });
    expect(email.status).toBe(400);
    // Addresses that try to smuggle mail headers, or are too long or oddly spelled, are refused cleanly.
    for (const address of ['a@b.test\r\nBcc: c@d.test', 'a@b.test\nSubject: x', `${'a'.repeat(250)}@x.test`, '', '@', 'a@', '<a@b.test>', 'a@b.test, c@d.test']) {
      const answer = await send(base, '/sign-in/send', { form: { email: address }, sameOrigin: true });
      expect(answer.status, JSON.stringify(address)).toBe(400);
      expect(answer.cookies).toEqual([]);
    }
  });

  test('W4: malformed codes all get the same 400 (never a 500), and the real code still works afterwards', async () => {
    const base = server().url;
    const { jar, code } = await requestCode(base, uniqueEmail('w4-codes'));
    const malformed = ['12345', '1234567', '1'.repeat(1000), '١٢٣٤٥٦', '۱۲۳۴۵۶', '１２３４５６', ' 123456', '123456 ', '123 456', '\t123456', '12345\u0000', '', '-12345', '1e5'];
    const answers: Answer[] = [];
    for (const guess of malformed) answers.push(await send(base, '/verify/confirm', { form: { code: guess }, cookies: jar.copy(), sameOrigin: true }));
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.text).toBe(answers[0]?.text);
    }
    // Pages get the same answer as a redirect back to the form.
    for (const guess of malformed) {
      const page = await send(base, '/verify/confirm', { form: { code: guess }, cookies: jar.copy(), sameOrigin: true, headers: { accept: 'text/html' } });
      expect(page.status).toBe(303);
      expect(page.headers.get('location')).toMatch(/^\/verify\?error=format/);
    }
    expect((await confirmCode(base, jar, code)).status).toBe(303);
  });
});

test.describe('P2 no tokens in what the pages send', () => {
  test('P2: the home page HTML and its RSC payload carry no token and no refresh secret', async () => {
    const email = uniqueEmail('p2');
    const jar = await signInOverHttp(server().url, email);
    const tokens = [jar.get('signet_at') ?? '', jar.get('signet_rt') ?? ''];
    for (const token of tokens) expect(token.length).toBeGreaterThan(100);
    const parts = tokens.flatMap((token) => token.split('.'));
    const html = await get('/', {}, jar);
    const rsc = await get('/', { rsc: '1' }, jar);
    const prefetch = await get('/', { rsc: '1', 'next-router-prefetch': '1' }, jar);
    expect(html.text).toContain(email);
    expect(rsc.headers.get('content-type')).toMatch(/text\/x-component/);
    expect(rsc.text).toContain(email);
    for (const answer of [html, rsc, prefetch]) {
      for (const part of parts) expect(answer.text).not.toContain(part);
      expect(answer.text).not.toContain('eyJhbGciOi');
    }
  });

  test('P2: the session list (/settings/security) HTML and RSC payload carry no token or refresh secret, of this device or any other', async () => {
    const email = uniqueEmail('p2-list');
    const laptop = await person(email, 'P2 laptop');
    const phone = await person(email, 'P2 phone');
    const stranger = await person(uniqueEmail('p2-stranger'), 'P2 stranger');
    const tokens = [laptop, phone, stranger].flatMap((p) => [p.jar.get('signet_at') ?? '', p.jar.get('signet_rt') ?? '']);
    for (const token of tokens) expect(token.length).toBeGreaterThan(100);
    const signingSecret = server().keys.split(':')[1] ?? '';
    const forbidden = [...tokens.flatMap((token) => token.split('.')), signingSecret, 'eyJhbGciOi', 'eyJ0eXAi'];
    const html = await get('/settings/security', {}, laptop.jar);
    const rsc = await get('/settings/security', { rsc: '1' }, laptop.jar);
    const prefetch = await get('/settings/security', { rsc: '1', 'next-router-prefetch': '1' }, laptop.jar);
    expect(rsc.headers.get('content-type')).toMatch(/text\/x-component/);
    for (const answer of [html, rsc]) {
      expect(answer.status).toBe(200);
      // The list really is in there, with both devices and their ids.
      for (const text of ['P2 laptop', 'P2 phone', laptop.jti, phone.jti]) expect(answer.text).toContain(text);
      expect(answer.text).not.toContain('P2 stranger');
    }
    for (const answer of [html, rsc, prefetch]) for (const secret of forbidden) expect(answer.text).not.toContain(secret);
  });
});
