import { expect, test, type Page } from '@playwright/test';
import { newDevice, signIn, uniqueEmail, USER_AGENTS, waitForMail } from './support/flows';

const escape = (text: string) => text.replace(/[.+]/g, '\\$&');

/** The owner creates an org from /orgs (their session moves into it) and invites `email` as `role`. */
async function createAndInvite(page: Page, org: string, email: string, role: 'member' | 'admin' = 'member'): Promise<number> {
  await page.goto('/orgs');
  await page.getByLabel('Name').fill(org);
  await page.getByRole('button', { name: 'Create organisation' }).click();
  await expect(page.getByRole('heading', { level: 1, name: org })).toBeVisible();
  const since = Date.now() - 1000;
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Role').selectOption(role);
  await page.getByRole('button', { name: 'Invite' }).click();
  await expect(page.getByRole('status')).toContainText('Invitation sent');
  return since;
}

/** `email` follows their emailed invitation (signing in first) and accepts it. */
async function accept(page: Page, email: string, since: number, org: string): Promise<void> {
  const message = await waitForMail(email, since, /invited you to/);
  const link = new URL(/https?:\/\/\S+\/invitations\/[A-Za-z0-9_-]{43}/.exec(message.text)?.[0] ?? 'http://x/').pathname;
  await signIn(page, email, { next: link });
  await page.getByRole('button', { name: `Accept and join ${org}` }).click();
  await expect(page.getByRole('status')).toContainText('You joined');
}

test('an owner invites a member, ends their session, and the member is told an admin ended it', async ({ page, browser }) => {
  const ownerEmail = uniqueEmail('org-owner');
  const orgName = `Team ${Date.now().toString(36)}`;
  const memberEmail = uniqueEmail('org-member');

  await signIn(page, ownerEmail);
  const since = await createAndInvite(page, orgName, memberEmail);

  const member = await newDevice(browser, USER_AGENTS.firefoxWindows);
  await accept(member.page, memberEmail, since, orgName);
  await member.page.goto('/');
  await expect(member.page.getByText(`${orgName} (member)`)).toBeVisible();
  // Members see their org, never the admin area: no member list, no invitations, no member pages.
  const own = await member.page.goto('/settings/org');
  expect(own?.status()).toBe(200);
  await expect(member.page.getByRole('region', { name: 'Members' })).toHaveCount(0);
  await expect(member.page.getByRole('region', { name: 'Invite someone' })).toHaveCount(0);
  const denied = await member.page.goto('/settings/org/members/someone');
  expect(denied?.status()).toBe(404);
  await expect(member.page.getByRole('heading', { name: 'Page not found' })).toBeVisible();

  await page.goto('/settings/org');
  const row = page.getByRole('row', { name: new RegExp(escape(memberEmail)) });
  await expect(row).toContainText('member');
  await expect(row.getByRole('cell').nth(2)).toHaveText('1');
  await row.getByRole('link', { name: memberEmail }).click();
  await expect(page.getByRole('heading', { name: memberEmail })).toBeVisible();
  await page.getByRole('button', { name: 'End session on Firefox on Windows' }).click();
  await expect(page.getByText('No live sessions.')).toBeVisible();

  await member.page.goto('/');
  await expect(member.page).toHaveURL(/\/sign-in/);
  await expect(member.page.getByRole('status')).toContainText(`An admin of ${orgName} ended this session`);
  await member.context.close();
});

test('the org area lists the org’s security activity, naming who acted', async ({ page }) => {
  const ownerEmail = uniqueEmail('org-logger');
  const memberEmail = uniqueEmail('org-invited');
  await signIn(page, ownerEmail);
  await createAndInvite(page, `Logged ${Date.now().toString(36)}`, memberEmail);
  const activity = page.getByRole('region', { name: 'Recent activity' });
  await expect(activity).toContainText(`${ownerEmail} invited ${memberEmail} as member`);
  await expect(activity).toContainText(`${ownerEmail} created this organisation`);
});

test('someone in two orgs switches this session to the other one, where they are a member', async ({ page, browser }) => {
  const ownerEmail = uniqueEmail('switch-owner');
  const teamOrg = `Switchers ${Date.now().toString(36)}`;
  const personEmail = uniqueEmail('switcher');
  const personalOrg = `${personEmail.split('@')[0]}'s org`;

  const person = await newDevice(browser, USER_AGENTS.safariIphone);
  await signIn(person.page, personEmail); // signs up: their own org, as owner
  await signIn(page, ownerEmail);
  const since = await createAndInvite(page, teamOrg, personEmail);
  // Accepted on a second device, which moves into the team org; the phone stays where it was.
  const laptop = await newDevice(browser, USER_AGENTS.chromeMac);
  await accept(laptop.page, personEmail, since, teamOrg);

  await person.page.goto('/orgs');
  await expect(person.page.getByText(`This device is working in ${personalOrg}.`)).toBeVisible();
  await person.page.getByRole('button', { name: `Switch to ${teamOrg}` }).click();
  await expect(person.page.getByText(`This device is working in ${teamOrg}.`)).toBeVisible();
  await person.page.goto('/');
  await expect(person.page.getByText(`${teamOrg} (member)`)).toBeVisible();
  // In the team org they are a member: its page, but no admin area there.
  await person.page.goto('/settings/org');
  await expect(person.page.getByText(/^You are a member of this organisation\./)).toBeVisible();
  await expect(person.page.getByRole('region', { name: 'Members' })).toHaveCount(0);
  await person.context.close();
  await laptop.context.close();
});
