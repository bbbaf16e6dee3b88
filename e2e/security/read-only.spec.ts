import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { parseKeyring } from '../../lib/crypto/keys';
import { createOrgAs, inviteAndAccept } from './support/orgs';
import { seedChallenge, seedSignIn, withStore } from './support/store';
import { liveList, statusLine } from '../support/security-page';
import { browserWith } from './support/actions';
import { claimsOf, Jar, send } from './support/http';
import { dedicatedServer, SECURITY_PORTS } from './support/server';
import type { Store } from '../../lib/store/types';

/**
 * R3 (and R2's "reads still work") against `next start` on a database file the server process
 * cannot write: the file is made read-only before the server opens it.
 */
const signedIn: Array<{ email: string; access: string; refresh: string }> = [];
const pending = { challengeId: '', code: '' };
/** An org owner on two devices and their member, for the revoke actions (R3). */
const org = { ownerLaptop: new Jar(), memberId: '', sessions: [] as string[] };

const server = dedicatedServer('read-only', {
  port: SECURITY_PORTS.readOnly,
  honourFilePermissions: true,
  // Two people sign in (through the real code flow) and a third asks for a code, before the file becomes read-only.
  async prepare(file, env) {
    await withStore({ DATABASE_PATH: file }, (store) => seed(store, env));
    fs.chmodSync(file, 0o444);
  },
});

async function seed(store: Store, env: NodeJS.ProcessEnv): Promise<void> {
  const keyring = parseKeyring(env.SIGNET_KEYS ?? '');
  const seedSession = (email: string, label: string) => seedSignIn(store, keyring, email, label);
  signedIn.length = 0;
  for (const name of ['reader', 'leaver']) {
    const result = await seedSession(`${name}.${Date.now().toString(36)}@example.test`, 'Probe');
    signedIn.push({ email: result.email, access: result.tokens.accessToken, refresh: result.tokens.refreshToken });
  }
  const ownerEmail = `owner.${Date.now().toString(36)}@example.test`;
  const memberEmail = `member.${Date.now().toString(36)}@example.test`;
  const laptop = await seedSession(ownerEmail, 'Owner laptop');
  const phone = await seedSession(ownerEmail, 'Owner phone');
  const orgId = await createOrgAs(store, { userId: laptop.userId, jti: laptop.sessionId }, 'Read-only org');
  const member = await seedSession(memberEmail, 'Member laptop');
  await inviteAndAccept(store, { userId: laptop.userId, orgId }, { userId: member.userId, jti: member.sessionId, email: memberEmail }, 'member');
  Object.assign(org, {
    ownerLaptop: new Jar({ signet_at: laptop.tokens.accessToken, signet_rt: laptop.tokens.refreshToken }),
    memberId: member.userId,
    sessions: [laptop.sessionId, phone.sessionId, member.sessionId],
  });
  const open = await seedChallenge(store, keyring, `pending.${Date.now().toString(36)}@example.test`);
  Object.assign(pending, { challengeId: open.challengeId, code: open.code ?? '' });
}

/** When the session (given by id, or by one of its tokens) was revoked; null while it lives. */
function revokedAt(sessionOrToken: string): string | null {
  const id = sessionOrToken.includes('.') ? claimsOf(sessionOrToken).jti : sessionOrToken;
  const db = server().openDatabase();
  try {
    return (db.prepare('SELECT revoked_at AS revoked FROM sessions WHERE id = ?').get(id) as { revoked: string | null }).revoked;
  } finally {
    db.close();
  }
}

test('R3: on a read-only database signed-in pages still render, and sign-out says it failed and keeps the cookies', async () => {
  const [reader, leaver] = signedIn;
  const home = await send(server().url, '/', { cookies: `signet_at=${reader?.access}` });
  expect(home.status).toBe(200);
  expect(home.text).toContain(reader?.email);

  const signOut = await send(server().url, '/sign-out', { method: 'POST', cookies: `signet_at=${leaver?.access}; signet_rt=${leaver?.refresh}`, sameOrigin: true });
  expect(signOut.status).toBe(503);
  expect(signOut.headers.get('retry-after')).toBeTruthy();
  expect(signOut.cookies).toEqual([]);
  expect(JSON.parse(signOut.text)).toMatchObject({ ok: false, error: 'sign_out_failed' });
  expect(revokedAt(leaver?.access ?? '')).toBeNull();
  // ...and that is the truth: the session is still signed in.
  expect((await send(server().url, '/', { cookies: `signet_at=${leaver?.access}` })).status).toBe(200);
});

test('R3: on a read-only database refresh, the proxy, code sending and sign-in say they failed instead of pretending', async () => {
  const [reader] = signedIn;
  const refresh = await send(server().url, '/refresh', { method: 'POST', cookies: `signet_rt=${reader?.refresh}`, sameOrigin: true });
  expect(refresh.status).toBe(503);
  expect(refresh.cookies).toEqual([]);
  const proxied = await send(server().url, '/', { cookies: `signet_rt=${reader?.refresh}` });
  expect(proxied.status).toBe(503);
  expect(proxied.cookies).toEqual([]);
  const code = await send(server().url, '/sign-in/send', { form: { email: 'someone@example.test' }, sameOrigin: true });
  expect(code.status).toBe(503);
  expect(code.cookies).toEqual([]);
  const verify = await send(server().url, '/verify/confirm', { form: { code: pending.code, persistent: 'on' }, cookies: `signet_ch=${pending.challengeId}`, sameOrigin: true });
  expect(verify.status).toBe(503);
  expect(verify.cookies).toEqual([]);
});

// One code, one sentence: the security page and the org pages say a failed write alike.
const SAVE_FAILED = 'Signet could not save that just now. Nothing was changed; try again.';
const SUCCESS = /was signed out|devices? signed out|No other devices were signed in|Session ended|sessions in this organisation ended/;

test('R3: on a read-only database signing a device out, signing out all others and an admin ending sessions each say they failed, and nothing reports success', async ({ browser }) => {
  const { context, page } = await browserWith(browser, server().url, org.ownerLaptop);
  await page.goto('/settings/security');
  await expect(liveList(page)).toHaveCount(2);

  await page.getByRole('button', { name: 'Sign out Owner phone' }).click();
  await page.getByRole('button', { name: 'Yes, sign out Owner phone' }).click();
  await expect(statusLine(page)).toHaveText(SAVE_FAILED);

  await page.reload();
  await page.getByRole('button', { name: 'Sign out all other devices' }).click();
  await page.getByRole('button', { name: 'Yes, sign out 1 other device' }).click();
  await expect(page.getByRole('status').filter({ hasText: SAVE_FAILED })).toHaveCount(1);

  // Signing this very device out fails the same way: the page stays, and so do the cookies.
  await page.reload();
  await page.getByRole('button', { name: 'Sign out Owner laptop' }).click();
  await expect(statusLine(page)).toHaveText(SAVE_FAILED);
  await expect(page).toHaveURL(/\/settings\/security$/);
  expect((await context.cookies()).map((c) => c.name).sort()).toEqual(['signet_at', 'signet_rt']);
  await expect(page.getByText(SUCCESS)).toHaveCount(0);

  await page.goto(`/settings/org/members/${org.memberId}`);
  await page.getByRole('button', { name: 'End session on Member laptop' }).click();
  await expect(page.getByRole('alert').filter({ hasText: SAVE_FAILED })).toHaveCount(1);
  await page.getByRole('link', { name: 'End all their sessions' }).click();
  await page.getByRole('button', { name: 'Yes, end 1 session' }).click();
  await expect(page.getByRole('alert').filter({ hasText: SAVE_FAILED })).toHaveCount(1);
  await expect(page.getByText(SUCCESS)).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'End session on Member laptop' })).toBeVisible();

  for (const id of org.sessions) expect(revokedAt(id)).toBeNull();
  await context.close();
});
