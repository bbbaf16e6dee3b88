import { expect, test } from '@playwright/test';
import { newDevice, signIn, uniqueEmail, USER_AGENTS } from './support/flows';

test('an owner adds a member, ends their session, and the member is told an admin ended it', async ({ page, browser }) => {
  const ownerEmail = uniqueEmail('org-owner');
  const orgName = `${ownerEmail.split('@')[0]}'s org`;
  const memberEmail = uniqueEmail('org-member');

  await signIn(page, ownerEmail);
  await page.getByRole('link', { name: 'Manage members' }).click();
  await expect(page.getByRole('heading', { name: orgName })).toBeVisible();
  await page.getByLabel('Email address').fill(memberEmail);
  await page.getByLabel('Role').selectOption('member');
  await page.getByRole('button', { name: 'Add member' }).click();
  await expect(page.getByRole('status')).toContainText('Added.');
  await expect(page.getByRole('row', { name: new RegExp(memberEmail.replace(/[.+]/g, '\\$&')) })).toContainText('member');

  const member = await newDevice(browser, USER_AGENTS.firefoxWindows);
  await signIn(member.page, memberEmail);
  await expect(member.page.getByText(orgName)).toBeVisible();
  // Members do not get the admin area at all.
  const denied = await member.page.goto('/settings/org');
  expect(denied?.status()).toBe(404);
  await expect(member.page.getByRole('heading', { name: 'Page not found' })).toBeVisible();

  await page.reload();
  const row = page.getByRole('row', { name: new RegExp(memberEmail.replace(/[.+]/g, '\\$&')) });
  await expect(row.getByRole('cell').nth(2)).toHaveText('1');
  await row.getByRole('link', { name: memberEmail }).click();
  await expect(page.getByRole('heading', { name: memberEmail })).toBeVisible();
  await page.getByRole('button', { name: 'End session on Firefox on Windows' }).click();
  await page.getByRole('button', { name: 'Yes, end the session on Firefox on Windows' }).click();
  await expect(page.getByText('No live sessions.')).toBeVisible();

  await member.page.goto('/');
  await expect(member.page).toHaveURL(/\/sign-in/);
  await expect(member.page.getByRole('status')).toContainText(`An admin of ${orgName} ended this session`);
  await member.context.close();
});

test('the org area lists the org’s security activity, naming who acted', async ({ page }) => {
  const ownerEmail = uniqueEmail('org-logger');
  const memberEmail = uniqueEmail('org-added');
  await signIn(page, ownerEmail);
  await page.goto('/settings/org');
  await page.getByLabel('Email address').fill(memberEmail);
  await page.getByRole('button', { name: 'Add member' }).click();
  await expect(page.getByRole('status')).toContainText('Added.');
  const activity = page.getByRole('region', { name: 'Recent activity' });
  await expect(activity).toContainText(`${ownerEmail} added ${memberEmail} as member`);
  await expect(activity).toContainText(`${ownerEmail} signed in on`);
});

test('someone in two orgs switches this session to the other one, where they are a member', async ({ page, browser }) => {
  const ownerEmail = uniqueEmail('switch-owner');
  const teamOrg = `${ownerEmail.split('@')[0]}'s org`;
  const personEmail = uniqueEmail('switcher');
  const personalOrg = `${personEmail.split('@')[0]}'s org`;

  const person = await newDevice(browser, USER_AGENTS.safariIphone);
  await signIn(person.page, personEmail); // signs up: their own org, as owner
  await signIn(page, ownerEmail);
  await page.goto('/settings/org');
  await page.getByLabel('Email address').fill(personEmail);
  await page.getByRole('button', { name: 'Add member' }).click();
  await expect(page.getByRole('status')).toContainText('Added.');

  await person.page.goto('/orgs');
  await expect(person.page.getByText(`This device is working in ${personalOrg}.`)).toBeVisible();
  await person.page.getByRole('button', { name: `Switch to ${teamOrg}` }).click();
  await expect(person.page.getByText(`This device is working in ${teamOrg}.`)).toBeVisible();
  await person.page.goto('/');
  await expect(person.page.getByText(`${teamOrg} (member)`)).toBeVisible();
  // In the team org they are a member: no admin area there.
  expect((await person.page.goto('/settings/org'))?.status()).toBe(404);
  await person.context.close();
});
