import { expect, test, type Page } from '@playwright/test';
import { dedicatedServer, SECURITY_PORTS } from './security/support/server';
import { invite, newDevice, signIn, uniqueEmail, USER_AGENTS, waitForMail } from './support/flows';

/**
 * Orgs by consent, end to end in Chromium: A (one browser) invites B, who has two browsers (a
 * laptop and a phone). The invitation arrives over SMTP; B sees nothing of A's org, and A nothing
 * of B, until B accepts; then A sees B's devices, ends one (B is told why), and B leaves.
 */

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The link in the newest invitation email to `to` since `since`. */
async function invitationLink(to: string, since: number): Promise<string> {
  const message = await waitForMail(to, since, /invited you to/);
  const link = /https?:\/\/\S+\/invitations\/[A-Za-z0-9_-]{43}/.exec(message.text)?.[0];
  if (!link) throw new Error('no invitation link in the email');
  return new URL(link).pathname;
}

/** A creates an org from /orgs and lands on its page; returns its name. */
async function createOrg(page: Page, name: string): Promise<void> {
  await page.goto('/orgs');
  await page.getByLabel('Name').fill(name);
  await page.getByRole('button', { name: 'Create organisation' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByRole('status')).toContainText('Organisation created');
}

const membersTable = (page: Page) => page.getByRole('region', { name: 'Members' });

test('A invites B over SMTP; nothing is shared until B accepts; A sees and ends B’s session, B is told why; B leaves and A no longer sees B', async ({ page, browser }) => {
  const a = uniqueEmail('org-a');
  const b = uniqueEmail('org-b');
  const org = `Acme ${Date.now().toString(36)}`;
  await signIn(page, a, { deviceName: 'A laptop' });
  await createOrg(page, org);
  const since = Date.now() - 1000;
  await invite(page, b);
  await expect(page.getByRole('region', { name: 'Pending invitations' })).toContainText(b);

  // B, who has no account yet, follows the emailed link on their laptop and signs in first.
  const laptop = await newDevice(browser, USER_AGENTS.firefoxWindows);
  const link = await invitationLink(b, since);
  await laptop.page.goto(link);
  await expect(laptop.page).toHaveURL(/\/sign-in\?next=/);
  await signIn(laptop.page, b, { next: link });
  await expect(laptop.page.getByRole('heading', { name: `Invitation to ${org}` })).toBeVisible();
  await expect(laptop.page.getByText(`${a} invited you to join ${org} as a member.`)).toBeVisible();

  // Before accepting: B is in nothing of A's, and A sees nothing of B.
  await laptop.page.goto('/orgs');
  await expect(laptop.page.getByRole('region', { name: 'Organisations' })).not.toContainText(org);
  await page.goto('/settings/org');
  await expect(membersTable(page)).not.toContainText(b);

  await laptop.page.goto(link);
  await laptop.page.getByRole('button', { name: `Accept and join ${org}` }).click();
  await expect(laptop.page.getByRole('heading', { level: 1, name: org })).toBeVisible();
  await expect(laptop.page.getByRole('status')).toContainText('You joined');
  // A member sees the org, their role, its owners and admins, and Leave; never anyone's devices.
  await expect(laptop.page.getByText('You are a member of this organisation')).toBeVisible();
  await expect(laptop.page.getByRole('region', { name: 'Owners and admins' })).toContainText(`${a} (owner)`);
  await expect(laptop.page.getByRole('link', { name: `Leave ${org}` })).toBeVisible();
  await expect(laptop.page.locator('body')).not.toContainText('A laptop');
  expect((await laptop.page.goto('/settings/org/members/anyone'))?.status()).toBe(404);

  // B's phone signs in afterwards and lands in the org B used last.
  const phone = await newDevice(browser, USER_AGENTS.safariIphone);
  await signIn(phone.page, b);
  await expect(phone.page.getByText(`${org} (member)`)).toBeVisible();

  // A now sees B and both of B's devices in the org, and ends the laptop's session.
  await page.reload();
  const row = membersTable(page).getByRole('row', { name: new RegExp(escape(b)) });
  await expect(row.getByRole('cell').nth(2)).toHaveText('2');
  await row.getByRole('link', { name: b }).click();
  await expect(page.getByRole('heading', { name: b })).toBeVisible();
  await expect(page.getByText('Firefox on Windows')).toBeVisible();
  await expect(page.getByText('Safari on iOS')).toBeVisible();
  await page.getByRole('button', { name: 'End session on Firefox on Windows' }).click();
  await expect(page.getByRole('status')).toHaveText('Session ended.');
  await expect(page.getByText('Firefox on Windows')).toHaveCount(0);

  await laptop.page.goto('/');
  await expect(laptop.page).toHaveURL(/\/sign-in/);
  await expect(laptop.page.getByRole('status')).toContainText(`An admin of ${org} ended this session`);

  // B leaves from the phone: asked once, then out of A's sight, still signed in.
  await phone.page.goto('/settings/org');
  await phone.page.getByRole('link', { name: `Leave ${org}` }).click();
  await expect(phone.page.getByRole('heading', { name: `Leave ${org}?` })).toBeVisible();
  await phone.page.getByRole('button', { name: `Leave ${org}` }).click();
  await expect(phone.page.getByRole('status')).toContainText('You left that organisation');
  await expect(phone.page.getByText('your personal organisation: nobody else can be invited to it')).toBeVisible();

  await page.goto('/settings/org');
  await expect(membersTable(page)).not.toContainText(b);
  await expect(page.getByRole('region', { name: 'Recent activity' })).toContainText(`${b} left`);
  await expect(page.getByRole('region', { name: 'Recent activity' })).toContainText(`${b} accepted the invitation and joined as member`);
  await laptop.context.close();
  await phone.context.close();
});

test('a declined invitation and a revoked one: the person joins nothing, and both sides are told', async ({ page, browser }) => {
  const a = uniqueEmail('org-a2');
  const c = uniqueEmail('org-decliner');
  const d = uniqueEmail('org-revoked');
  const org = `Beta ${Date.now().toString(36)}`;
  await signIn(page, a);
  await createOrg(page, org);
  const since = Date.now() - 1000;
  await invite(page, c);
  await invite(page, d, 'admin');

  const decliner = await newDevice(browser, USER_AGENTS.chromeMac);
  const declineLink = await invitationLink(c, since);
  await signIn(decliner.page, c, { next: declineLink });
  await decliner.page.getByRole('button', { name: 'Decline' }).click();
  await expect(decliner.page.getByRole('status')).toHaveText('You declined the invitation.');
  await expect(decliner.page.getByText(`You declined this invitation. Nothing was shared with ${org}.`)).toBeVisible();
  await expect(decliner.page.getByRole('button', { name: `Accept and join ${org}` })).toHaveCount(0);
  await decliner.page.goto('/settings/security');
  await expect(decliner.page.getByText(`You declined an invitation to ${org}`)).toBeVisible();
  await decliner.context.close();

  // A revokes D's invitation, asked once first; D's link then says so.
  await page.goto('/settings/org');
  await page.getByRole('link', { name: `Revoke the invitation to ${d}` }).click();
  await expect(page.getByRole('heading', { name: `Revoke the invitation to ${d}?` })).toBeVisible();
  await page.getByRole('button', { name: 'Revoke invitation' }).click();
  await expect(page.getByRole('status')).toContainText('Invitation revoked');
  await expect(page.getByRole('region', { name: 'Pending invitations' })).not.toContainText(d);
  const activity = page.getByRole('region', { name: 'Recent activity' });
  await expect(activity).toContainText(`${c} declined the invitation`);
  await expect(activity).toContainText(`${a} withdrew the invitation to ${d}`);

  const revoked = await newDevice(browser, USER_AGENTS.firefoxWindows);
  await signIn(revoked.page, d, { next: await invitationLink(d, since) });
  await expect(revoked.page.getByText(`${org} withdrew this invitation. Nothing was shared with them.`)).toBeVisible();
  await expect(revoked.page.getByRole('button', { name: /Accept/ })).toHaveCount(0);
  await revoked.page.goto('/orgs');
  await expect(revoked.page.getByRole('region', { name: 'Organisations' })).not.toContainText(org);
  await revoked.context.close();
});

test('someone signed in as another address sees only that the link is not theirs, and cannot use it', async ({ page, browser }) => {
  const a = uniqueEmail('org-a3');
  const invited = uniqueEmail('org-invited');
  const org = `Gamma ${Date.now().toString(36)}`;
  await signIn(page, a);
  await createOrg(page, org);
  const since = Date.now() - 1000;
  await invite(page, invited);
  const link = await invitationLink(invited, since);

  const stranger = await newDevice(browser, USER_AGENTS.chromeMac);
  await signIn(stranger.page, uniqueEmail('link-holder'), { next: link });
  await expect(stranger.page.getByRole('heading', { name: 'This invitation is for another address' })).toBeVisible();
  await expect(stranger.page.locator('body')).not.toContainText(org);
  await expect(stranger.page.locator('body')).not.toContainText(a);
  await expect(stranger.page.getByRole('button', { name: /Accept/ })).toHaveCount(0);
  expect((await stranger.page.goto('/invitations/not-a-token'))?.status()).toBe(404);
  await stranger.context.close();
});

test.describe('an expired invitation', () => {
  // Its own server, where invitations last 3 seconds (INVITATION_TTL_SECONDS).
  const server = dedicatedServer('invitation-expiry', { port: SECURITY_PORTS.invitationExpiry, env: { INVITATION_TTL_SECONDS: '3' } });

  test('the link of an expired invitation offers nothing to accept; both sides see it expired', async ({ browser }) => {
    const a = uniqueEmail('org-a4');
    const late = uniqueEmail('org-late');
    const org = `Delta ${Date.now().toString(36)}`;
    const owner = await browser.newContext({ baseURL: server().url });
    const page = await owner.newPage();
    await signIn(page, a);
    await createOrg(page, org);
    const since = Date.now() - 1000;
    await invite(page, late);
    // The invitation exists once the page says it was sent, so it lapses within 3 s of this.
    const lapsedBy = Date.now() + 3_000;
    const link = await invitationLink(late, since);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, lapsedBy - Date.now()) + 500));

    const invitee = await browser.newContext({ baseURL: server().url, userAgent: USER_AGENTS.safariIphone });
    const latePage = await invitee.newPage();
    await signIn(latePage, late, { next: link });
    await expect(latePage.getByText(/^This invitation expired on .+ Nothing was shared with/)).toBeVisible();
    await expect(latePage.getByRole('button', { name: /Accept/ })).toHaveCount(0);

    // Opening the org page marks it expired: gone from the pending list, in both sides' activity.
    await page.goto('/settings/org');
    await expect(page.getByRole('region', { name: 'Pending invitations' })).not.toContainText(late);
    await expect(page.getByRole('region', { name: 'Recent activity' })).toContainText(`The invitation to ${late} expired`);
    await latePage.goto('/settings/security');
    await expect(latePage.getByText(`Your invitation to ${org} expired`)).toBeVisible();
    await latePage.goto('/orgs');
    await expect(latePage.getByRole('region', { name: 'Organisations' })).not.toContainText(org);
    await owner.close();
    await invitee.close();
  });
});
