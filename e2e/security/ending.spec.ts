import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { expect, test, type Page } from '@playwright/test';
import { parseKeyring } from '../../lib/crypto/keys';
import { signIn, uniqueEmail } from '../support/flows';
import { liveList, statusLine } from '../support/security-page';
import { browserWith, clickThenConfirm, comparable, recordAction, replay, type ActionAnswer, type RecordedAction } from './support/actions';
import { claimsOf, Jar, send, signInOverHttp } from './support/http';
import { dedicatedServer, newKeyring, SECURITY_PORTS, SMTP_PORT } from './support/server';
import { createOrgAs, inviteAndAccept } from './support/orgs';
import { seedSignIn, withStore } from './support/store';

/**
 * L6, L7, L8 and L2 for server actions, through the real pages and actions of `next start`:
 * clicks in Chromium, and the same actions replayed over HTTP with other people's ids. The spec
 * reads the server's database to show what each answer did, and did not, change.
 */
const SIGNING_KEY = newKeyring('sec2');
const OLD_KEY = newKeyring('sec1');
const retirees: Array<{ email: string; jar: Jar; jti: string }> = [];

const server = dedicatedServer('ending', {
  port: SECURITY_PORTS.ending,
  env: { SIGNET_KEYS: `${SIGNING_KEY},${OLD_KEY}` },
  // Two devices signed in while sec1 was the signing key, i.e. before sec2 was added.
  prepare: (file) => withStore({ DATABASE_PATH: file }, async (store) => {
    const email = uniqueEmail('l8-retiree');
    retirees.length = 0;
    for (const label of ['Old laptop', 'Old phone']) {
      const result = await seedSignIn(store, parseKeyring(OLD_KEY), email, label);
      retirees.push({ email, jar: new Jar({ signet_at: result.tokens.accessToken, signet_rt: result.tokens.refreshToken }), jti: result.sessionId });
    }
  }),
});

const UNKNOWN_ID = 'AAAAAAAAAAAAAAAAAAAAAAAA'; // the shape of a session id, naming nothing

type SessionState = { revoked: string | null; reason: string | null; elsewhere: number; label: string | null };

function sessionState(jti: string): SessionState {
  const db = server().openDatabase();
  try {
    return db.prepare('SELECT revoked_at AS revoked, revoked_reason AS reason, revoked_elsewhere AS elsewhere, device_label AS label FROM sessions WHERE id = ?').get(jti) as SessionState;
  } finally {
    db.close();
  }
}

function scalar<T>(sql: string, ...params: unknown[]): T {
  const db = server().openDatabase();
  try {
    return db.prepare(sql).pluck().get(...params) as T;
  } finally {
    db.close();
  }
}

type Person = { email: string; jar: Jar; jti: string; userId: string };

async function person(name: string, device: string, email = uniqueEmail(name)): Promise<Person> {
  const jar = await signInOverHttp(server().url, email, { device });
  const claims = claimsOf(jar.get('signet_at'));
  return { email, jar, jti: claims.jti, userId: claims.sub };
}

/**
 * An org as admins meet it: its owner (who created it from their laptop), an admin and a member
 * who each accepted an invitation from their laptop, and the member's phone, which signed in
 * afterwards and landed in the org they used last: this one.
 */
async function org(name: string) {
  const owner = await person(`${name}-owner`, 'Owner laptop');
  const admin = await person(`${name}-admin`, 'Admin laptop');
  const member = await person(`${name}-member`, 'Member laptop');
  const orgId = await withStore({ DATABASE_PATH: server().databaseFile }, async (store) => {
    const id = await createOrgAs(store, owner, `${name} org`);
    await inviteAndAccept(store, { userId: owner.userId, orgId: id }, admin, 'admin');
    await inviteAndAccept(store, { userId: owner.userId, orgId: id }, member, 'member');
    return id;
  });
  const memberPhone = await person(`${name}-member`, 'Member phone', member.email);
  expect(scalar<string>('SELECT org_id FROM sessions WHERE id = ?', memberPhone.jti)).toBe(orgId);
  return { orgId, name: scalar<string>('SELECT name FROM orgs WHERE id = ?', orgId), owner, admin, member, memberPhone };
}

const memberPage = (userId: string) => `/settings/org/members/${userId}`;

/** Status, content type and return value: what a caller can tell about an action's outcome. */
const outcome = (answer: ActionAnswer) => ({ status: answer.status, type: answer.headers.get('content-type'), result: answer.result });
/** The org actions answer with a redirect to a page saying what happened: its status, any return value, and where it leads. */
const orgOutcome = (answer: ActionAnswer) => ({ status: answer.status, result: answer.result, redirect: (answer.redirect ?? '').split(';')[0] });

test.describe('L6 people end their own sessions, and only theirs', () => {
  test("L6: over HTTP the sign-out action answers another person's session id, an unknown id and the person's own alike, and ends only their own", async ({ browser }) => {
    const x1 = await person('l6-x', 'X laptop');
    const x2 = await person('l6-x', 'X phone', x1.email);
    const y = await person('l6-y', 'Y laptop');
    const { context, page } = await browserWith(browser, server().url, x1.jar);
    const signOut = await recordAction(page, 'sign out one device', '/settings/security', clickThenConfirm('Sign out X phone', 'Yes, sign out X phone'));
    await context.close();

    const swap = (id: string) => replay(server().url, signOut, { cookies: x1.jar, replace: [[x2.jti, id]] });
    const foreign = await swap(y.jti);
    const unknown = await swap(UNKNOWN_ID);
    expect(sessionState(y.jti).revoked).toBeNull();
    expect(sessionState(x2.jti).revoked).toBeNull();
    const own = await replay(server().url, signOut, { cookies: x1.jar });

    expect(outcome(foreign)).toEqual({ status: 200, type: 'text/x-component', result: { ok: true } });
    expect(outcome(unknown)).toEqual(outcome(foreign));
    expect(outcome(own)).toEqual(outcome(foreign));
    // Byte for byte (times and render keys aside) the foreign id reads exactly like an unknown one.
    expect(comparable(foreign.text)).toBe(comparable(unknown.text));
    expect(foreign.cookies).toEqual([]);

    expect(sessionState(x2.jti)).toMatchObject({ reason: 'sign_out', elsewhere: 1 });
    expect(sessionState(y.jti).revoked).toBeNull();
    expect(sessionState(x1.jti).revoked).toBeNull();
    expect((await send(server().url, '/', { cookies: y.jar.copy() })).status).toBe(200);
    // The refreshed page each answer carries holds no token of any session.
    const tokens = [x1, x2, y].flatMap((p) => [p.jar.get('signet_at') ?? '', p.jar.get('signet_rt') ?? '']);
    for (const answer of [foreign, unknown, own]) for (const token of tokens) expect(answer.text).not.toContain(token.split('.')[2]);
  });

  test('L6: over HTTP "sign out all other devices" ends every other session of the person, keeps this one, and touches nobody else', async ({ browser }) => {
    const x1 = await person('l6-all', 'X laptop');
    const others = [await person('l6-all', 'X phone', x1.email), await person('l6-all', 'X tablet', x1.email)];
    const y = await person('l6-all-y', 'Y laptop');
    const { context, page } = await browserWith(browser, server().url, x1.jar);
    const signOutOthers = await recordAction(page, 'sign out all others', '/settings/security', async (p) => {
      await p.getByRole('button', { name: 'Sign out all other devices' }).click();
      await p.getByRole('button', { name: 'Yes, sign out 2 other devices' }).click();
    });
    await context.close();

    expect((await replay(server().url, signOutOthers, { cookies: x1.jar })).result).toEqual({ ok: true, count: 2 });
    for (const other of others) expect(sessionState(other.jti)).toMatchObject({ reason: 'sign_out', elsewhere: 1 });
    expect(sessionState(x1.jti).revoked).toBeNull();
    expect(sessionState(y.jti).revoked).toBeNull();
    // The same request from the other person ends their other sessions, which they do not have: nothing.
    expect((await replay(server().url, signOutOthers, { cookies: y.jar })).result).toEqual({ ok: true, count: 0 });
    expect(sessionState(x1.jti).revoked).toBeNull();
  });

  test("L6: in the browser, signing out another person's session id, an unknown id and one's own other device get the same status and message", async ({ browser }) => {
    const x1 = await person('l6-page-x', 'X laptop');
    const x2 = await person('l6-page-x', 'X phone', x1.email);
    const y = await person('l6-page-y', 'Y laptop');
    const { context, page } = await browserWith(browser, server().url, x1.jar);

    const submit = async (sessionId: string | null): Promise<{ status: number; message: string }> => {
      await page.goto('/settings/security');
      // The id is swapped in the form the question's "Yes" sends.
      await page.getByRole('button', { name: 'Sign out X phone' }).click();
      const yes = page.getByRole('button', { name: 'Yes, sign out X phone' });
      const form = page.locator('form').filter({ has: yes });
      if (sessionId) await form.locator('input[name="sessionId"]').evaluate((input, id) => input.setAttribute('value', id), sessionId);
      const response = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/settings/security');
      await yes.click();
      const status = (await response).status();
      await expect(statusLine(page)).not.toBeEmpty();
      return { status, message: (await statusLine(page).textContent()) ?? '' };
    };
    const foreign = await submit(y.jti);
    expect(foreign).toEqual({ status: 200, message: 'X phone was signed out.' });
    expect(await submit(UNKNOWN_ID)).toEqual(foreign);
    await expect(liveList(page)).toHaveCount(2); // nothing ended: X phone is still listed
    expect(await submit(null)).toEqual(foreign);
    await expect(liveList(page)).toHaveCount(1);

    expect(sessionState(x2.jti).reason).toBe('sign_out');
    expect(sessionState(y.jti).revoked).toBeNull();
    await context.close();
  });
});

test.describe('L7 org admins end sessions of their own org only', () => {
  test('L7: members get a 404 for the member pages, see no one’s devices on their org page, and the admin actions they post change nothing', async ({ browser }) => {
    const a = await org('l7-members');
    const { context, page } = await browserWith(browser, server().url, a.admin.jar);
    const endOne = await recordAction(page, 'end one session', memberPage(a.member.userId), (p) => p.getByRole('button', { name: 'End session on Member phone' }).click());
    const endAll = await recordAction(page, 'end all sessions', memberPage(a.member.userId), async (p) => {
      await p.getByRole('link', { name: 'End all their sessions' }).click();
      await p.getByRole('button', { name: 'Yes, end 2 sessions' }).click();
    });
    await context.close();

    for (const path of [memberPage(a.owner.userId), memberPage(a.admin.userId), memberPage(a.member.userId)]) {
      const answer = await send(server().url, path, { cookies: a.member.jar.copy() });
      expect(answer.status, path).toBe(404);
      expect(answer.text).not.toContain(a.admin.email);
    }
    const own = await send(server().url, '/settings/org', { cookies: a.member.jar.copy() });
    expect(own.status).toBe(200);
    for (const label of ['Owner laptop', 'Admin laptop', 'Member phone', '/settings/org/members/']) expect(own.text).not.toContain(label);
    const member = await browserWith(browser, server().url, a.member.jar);
    expect((await member.page.goto(memberPage(a.admin.userId)))?.status()).toBe(404);
    await expect(member.page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
    await member.context.close();

    const before = [a.owner, a.admin, a.memberPhone].map((p) => sessionState(p.jti));
    for (const target of [a.owner, a.admin, a.memberPhone]) {
      const answer = await replay(server().url, endOne, { cookies: a.member.jar, replace: [[a.memberPhone.jti, target.jti]] });
      expect(orgOutcome(answer)).toEqual({ status: 200, result: undefined, redirect: `${memberPage(a.member.userId)}?error=not_found` });
    }
    for (const target of [a.owner, a.admin]) {
      const answer = await replay(server().url, endAll, { cookies: a.member.jar, replace: [[a.member.userId, target.userId]] });
      expect(orgOutcome(answer)).toEqual({ status: 200, result: undefined, redirect: `${memberPage(target.userId)}?error=not_found` });
    }
    expect([a.owner, a.admin, a.memberPhone].map((p) => sessionState(p.jti))).toEqual(before);
  });

  test("L7: an admin of org A posting org B's member and session ids gets the answers unknown ids get, and nothing in B changes; A's own member is ended", async ({ browser }) => {
    const a = await org('l7-a');
    const b = await org('l7-b');
    const { context, page } = await browserWith(browser, server().url, a.admin.jar);
    const endOne = await recordAction(page, 'end one session', memberPage(a.member.userId), (p) => p.getByRole('button', { name: 'End session on Member phone' }).click());
    const endAll = await recordAction(page, 'end all sessions', memberPage(a.member.userId), async (p) => {
      await p.getByRole('link', { name: 'End all their sessions' }).click();
      await p.getByRole('button', { name: 'Yes, end 2 sessions' }).click();
    });
    const remove = await recordAction(page, 'remove member', memberPage(a.member.userId), async (p) => {
      await p.getByRole('link', { name: `Remove ${a.member.email}` }).click();
      await p.getByRole('button', { name: `Yes, remove ${a.member.email}` }).click();
    });
    await context.close();

    const bPeople = [b.owner, b.admin, b.member, b.memberPhone];
    const before = bPeople.map((p) => sessionState(p.jti));
    const unknownSession = await replay(server().url, endOne, { cookies: a.admin.jar, replace: [[a.memberPhone.jti, UNKNOWN_ID]] });
    expect(orgOutcome(unknownSession)).toEqual({ status: 200, result: undefined, redirect: `${memberPage(a.member.userId)}?done=session-ended` });
    for (const target of bPeople) {
      const answer = await replay(server().url, endOne, { cookies: a.admin.jar, replace: [[a.memberPhone.jti, target.jti]] });
      expect(orgOutcome(answer)).toEqual(orgOutcome(unknownSession));
      expect(comparable(answer.text)).toBe(comparable(unknownSession.text));
    }
    const unknownUser = randomUUID();
    for (const action of [endAll, remove]) {
      const unknown = await replay(server().url, action, { cookies: a.admin.jar, replace: [[a.member.userId, unknownUser]] });
      expect(orgOutcome(unknown)).toEqual({ status: 200, result: undefined, redirect: `${memberPage(unknownUser)}?error=not_found` });
      for (const target of [b.owner, b.admin, b.member]) {
        const answer = await replay(server().url, action, { cookies: a.admin.jar, replace: [[a.member.userId, target.userId]] });
        // The same answer, naming back only the id that was posted.
        expect(orgOutcome(answer), action.name).toEqual({ ...orgOutcome(unknown), redirect: `${memberPage(target.userId)}?error=not_found` });
      }
    }
    // B's member pages read like a page that does not exist.
    const missing = await send(server().url, memberPage(unknownUser), { cookies: a.admin.jar.copy() });
    expect(missing.status).toBe(404);
    const bMember = await send(server().url, memberPage(b.member.userId), { cookies: a.admin.jar.copy() });
    expect(bMember.status).toBe(404);
    expect(bMember.text).not.toContain(b.member.email);
    expect(bPeople.map((p) => sessionState(p.jti))).toEqual(before);
    expect(scalar<number>('SELECT count(*) FROM memberships WHERE org_id = ?', b.orgId)).toBe(3);

    // The same request with A's member's own session does what it says.
    expect(orgOutcome(await replay(server().url, endOne, { cookies: a.admin.jar }))).toEqual(orgOutcome(unknownSession));
    expect(sessionState(a.memberPhone.jti)).toMatchObject({ reason: 'admin', elsewhere: 0 });
    expect(sessionState(a.member.jti).revoked).toBeNull();
    const told = await browserWith(browser, server().url, a.memberPhone.jar);
    await told.page.goto('/settings/security');
    await expect(told.page).toHaveURL(/\/sign-in/);
    await expect(told.page.getByRole('status')).toContainText(`An admin of ${a.name} ended this session`);
    await told.context.close();
  });

  test("L7: in the browser, an admin's \"End session\" form carrying another org's session id shows what an unknown id shows, and ends nothing", async ({ browser }) => {
    const a = await org('l7-page-a');
    const b = await org('l7-page-b');
    const { context, page } = await browserWith(browser, server().url, a.admin.jar);
    const submit = async (sessionId: string): Promise<{ status: number; url: string; message: string }> => {
      await page.goto(memberPage(a.member.userId));
      const button = page.getByRole('button', { name: 'End session on Member phone' });
      const form = page.locator('form').filter({ has: button });
      await form.locator('input[name="sessionId"]').evaluate((input, id) => input.setAttribute('value', id), sessionId);
      const response = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === memberPage(a.member.userId));
      await button.click();
      const status = (await response).status();
      await expect(page).toHaveURL(/\?done=/);
      await expect(page.getByRole('status')).toBeVisible();
      return { status, url: page.url(), message: (await page.getByRole('status').textContent()) ?? '' };
    };
    const foreign = await submit(b.memberPhone.jti);
    expect(foreign).toEqual({ status: 200, url: `${server().url}${memberPage(a.member.userId)}?done=session-ended`, message: 'Session ended.' });
    expect(await submit(UNKNOWN_ID)).toEqual(foreign);
    expect(sessionState(b.memberPhone.jti).revoked).toBeNull();
    expect(sessionState(a.memberPhone.jti).revoked).toBeNull();

    await page.goto(memberPage(a.member.userId));
    await page.getByRole('button', { name: 'End session on Member phone' }).click();
    await expect(page.getByRole('button', { name: 'End session on Member phone' })).toHaveCount(0);
    expect(sessionState(a.memberPhone.jti).reason).toBe('admin');
    await context.close();
  });
});

test.describe('L2 revocation reaches server actions', () => {
  test("L2: a revoked session's unexpired access token is refused by the security page's actions and the org actions, and nothing changes", async ({ browser }) => {
    const a = await org('l2-actions');
    const ownerPhone = await person('l2-actions', 'Owner phone', a.owner.email);
    const { context, page } = await browserWith(browser, server().url, a.owner.jar);
    const recorded: RecordedAction[] = [
      await recordAction(page, 'sign out one device', '/settings/security', clickThenConfirm('Sign out Owner phone', 'Yes, sign out Owner phone')),
      await recordAction(page, 'sign out all others', '/settings/security', async (p) => {
        await p.getByRole('button', { name: 'Sign out all other devices' }).click();
        await p.getByRole('button', { name: 'Yes, sign out 1 other device' }).click();
      }),
      await recordAction(page, 'rename', '/settings/security', async (p) => {
        await p.getByRole('button', { name: 'Rename Owner phone' }).click();
        await p.getByLabel('New name for Owner phone').fill('Taken over');
        await p.getByRole('button', { name: 'Save name' }).click();
      }),
      await recordAction(page, 'end one session', memberPage(a.member.userId), (p) => p.getByRole('button', { name: 'End session on Member phone' }).click()),
      await recordAction(page, 'end all sessions', memberPage(a.member.userId), async (p) => {
        await p.getByRole('link', { name: 'End all their sessions' }).click();
        await p.getByRole('button', { name: 'Yes, end 2 sessions' }).click();
      }),
      await recordAction(page, 'invite', '/settings/org', async (p) => {
        await p.getByLabel('Email address').fill('l2-added@example.test');
        await p.getByRole('button', { name: 'Invite' }).click();
      }),
    ];
    await context.close();

    // The owner's laptop signs out; its access token has most of its 15 minutes left.
    expect((await send(server().url, '/sign-out', { method: 'POST', cookies: a.owner.jar.copy(), sameOrigin: true })).status).toBe(303);
    expect(sessionState(a.owner.jti).reason).toBe('sign_out');
    expect(claimsOf(a.owner.jar.get('signet_at')).exp * 1000).toBeGreaterThan(Date.now() + 60_000);

    const watched = [ownerPhone, a.admin, a.member, a.memberPhone];
    const before = watched.map((p) => sessionState(p.jti));
    const members = scalar<number>('SELECT count(*) FROM memberships WHERE org_id = ?', a.orgId);
    for (const action of recorded) {
      const answer = await replay(server().url, action, { cookies: a.owner.jar });
      expect(answer.status, action.name).toBeLessThan(500);
      expect(answer.result, action.name).toBeUndefined(); // the action never returned: it was turned away
      expect(answer.redirect ?? answer.headers.get('location') ?? '', action.name).toContain('/sign-in');
    }
    expect(watched.map((p) => sessionState(p.jti))).toEqual(before);
    expect(scalar<number>('SELECT count(*) FROM memberships WHERE org_id = ?', a.orgId)).toBe(members);
    expect(scalar<number>("SELECT count(*) FROM org_invitations WHERE email = 'l2-added@example.test'")).toBe(0);
  });
});

const run = promisify(execFile);

/** `npm run keys -- …` as an operator runs it on the server, against the server's database file. */
async function keys(...args: string[]): Promise<{ code: number; output: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_PATH: server().databaseFile,
    SIGNET_KEYS: server().keys,
    SIGNET_ORIGIN: server().url,
    SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`,
  };
  try {
    const { stdout, stderr } = await run('npm', ['run', 'keys', '--', ...args], { env, timeout: 60_000 });
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

const liveOn = (kid: string) => scalar<number>('SELECT count(*) FROM sessions WHERE kid = ? AND revoked_at IS NULL', kid);

test.describe('L8 retiring a key', () => {
  test('L8: `npm run keys -- retire` refuses the signing key and changes nothing', async () => {
    await person('l8-current', 'Current laptop');
    const live = liveOn('sec2');
    const refused = await keys('retire', 'sec2', '--yes');
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('sec2 is the signing key and cannot be retired');
    expect(liveOn('sec2')).toBe(live);
    expect(liveOn('sec1')).toBe(2);
  });

  test('L8: `npm run keys -- retire <kid> --yes` ends only the sessions on that key (rotation); the ended browser is asked to sign in again, never a 500, and can', async ({ browser }) => {
    const [laptop, phone] = retirees;
    if (!laptop || !phone) throw new Error('no seeded sessions');
    const bystander = await person('l8-bystander', 'Current laptop');
    const { context, page } = await browserWith(browser, server().url, laptop.jar);
    const errors: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 500) errors.push(`${response.status()} ${response.url()}`);
    });
    await page.goto('/settings/security');
    await expect(liveList(page).filter({ hasText: 'Old laptop' })).toContainText('This device'); // signed in on sec1 until now

    const onSigningKey = liveOn('sec2');
    const retired = await keys('retire', 'sec1', '--yes');
    expect(retired.output).toContain('Ended 2 sessions on sec1 (reason: rotation).');
    expect(retired.code).toBe(0);
    for (const retiree of retirees) expect(sessionState(retiree.jti)).toMatchObject({ reason: 'rotation', elsewhere: 0 });
    expect(liveOn('sec1')).toBe(0);
    expect(liveOn('sec2')).toBe(onSigningKey);
    expect(sessionState(bystander.jti).revoked).toBeNull();
    expect((await send(server().url, '/', { cookies: bystander.jar.copy() })).status).toBe(200);

    // The laptop's next page load lands on the sign-in page, told why.
    await page.reload();
    await expect(page).toHaveURL(/\/sign-in\?next=/);
    await expect(page.getByRole('status')).toContainText(/Your session ended when a signing key was retired on .+\. Please sign in again\./);
    // The phone only has its refresh token left: the proxy's path says the same, and /refresh a clean 401.
    const viaProxy = await send(server().url, '/settings/security', { cookies: `signet_rt=${phone.jar.get('signet_rt')}` });
    expect(viaProxy.status).toBe(303);
    const notice = viaProxy.cookies.find((c) => c.name === 'signet_notice')?.value ?? '';
    const signInPage = await send(server().url, '/sign-in', { cookies: `signet_notice=${notice}` });
    expect(signInPage.status).toBe(200);
    expect(signInPage.text).toContain('Your session ended when a signing key was retired');
    const refreshed = await send(server().url, '/refresh', { method: 'POST', cookies: `signet_rt=${phone.jar.get('signet_rt')}`, sameOrigin: true });
    expect(refreshed.status).toBe(401);

    await signInAgain(page, laptop.email);
    expect(errors).toEqual([]);
    await context.close();
  });
});

async function signInAgain(page: Page, email: string): Promise<void> {
  await signIn(page, email, { next: '/settings/security' });
  await expect(page.getByRole('heading', { name: 'Devices and security' })).toBeVisible();
  const current = (await page.locator('form input[name="sessionId"]').first().getAttribute('value')) ?? '';
  expect(scalar<string>('SELECT kid FROM sessions WHERE id = ?', current)).toBe('sec2');
}
