import { expect, test, type Browser, type Page } from '@playwright/test';
import { invite, signIn, uniqueEmail, waitForMail } from './support/flows';

/**
 * Every org action works with JavaScript turned off, and each destructive one ("End all their
 * sessions", "Remove", "Transfer", "Delete", "Revoke invitation", and Leave) asks once, on a page
 * of its own, before anything changes.
 */

async function noJs(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: false });
  return context.newPage();
}

/** `email` signs in without JavaScript, opens their invitation and accepts it. */
async function joinWithoutJs(browser: Browser, email: string, since: number, org: string): Promise<Page> {
  const page = await noJs(browser);
  const message = await waitForMail(email, since, /invited you to/);
  const link = new URL(/https?:\/\/\S+\/invitations\/[A-Za-z0-9_-]{43}/.exec(message.text)?.[0] ?? 'http://x/').pathname;
  await signIn(page, email, { next: link });
  await page.getByRole('button', { name: `Accept and join ${org}` }).click();
  await expect(page.getByRole('status')).toContainText('You joined');
  return page;
}

const members = (page: Page) => page.getByRole('region', { name: 'Members' });

test('without JavaScript: create, invite, accept, revoke, end all, remove, transfer, leave and delete, each destructive step asked once', async ({ browser }) => {
  const owner = await noJs(browser);
  const ownerEmail = uniqueEmail('nojs-owner');
  const [m1, m2, m3, r] = ['nojs-m1', 'nojs-m2', 'nojs-m3', 'nojs-r'].map((name) => uniqueEmail(name)) as [string, string, string, string];
  const org = `NoJS ${Date.now().toString(36)}`;
  await signIn(owner, ownerEmail);
  await owner.goto('/orgs');
  await owner.getByLabel('Name').fill(org);
  await owner.getByRole('button', { name: 'Create organisation' }).click();
  await expect(owner.getByRole('heading', { level: 1, name: org })).toBeVisible();

  const since = Date.now() - 1000;
  for (const email of [m1, m2, m3, r]) await invite(owner, email);
  const m1Page = await joinWithoutJs(browser, m1, since, org);
  await joinWithoutJs(browser, m2, since, org);
  const m3Page = await joinWithoutJs(browser, m3, since, org);

  // Revoke invitation: the link asks; Cancel changes nothing; the button revokes.
  await owner.goto('/settings/org');
  await owner.getByRole('link', { name: `Revoke the invitation to ${r}` }).click();
  await expect(owner.getByRole('heading', { name: `Revoke the invitation to ${r}?` })).toBeVisible();
  await owner.getByRole('link', { name: 'Cancel' }).click();
  await expect(owner.getByRole('region', { name: 'Pending invitations' })).toContainText(r);
  await owner.getByRole('link', { name: `Revoke the invitation to ${r}` }).click();
  await owner.getByRole('button', { name: 'Revoke invitation' }).click();
  await expect(owner.getByRole('status')).toContainText('Invitation revoked');
  await expect(owner.getByRole('region', { name: 'Pending invitations' })).not.toContainText(r);

  // End all their sessions (m1): asked once, then ended; m1's device is told why.
  await members(owner).getByRole('link', { name: m1 }).click();
  await owner.getByRole('link', { name: 'End all their sessions' }).click();
  await expect(owner.getByRole('heading', { name: `End all 1 session of ${m1} in ${org}?` })).toBeVisible();
  await owner.getByRole('button', { name: 'Yes, end 1 session' }).click();
  await expect(owner.getByRole('status')).toHaveText('All their sessions in this organisation ended.');
  await m1Page.goto('/');
  await expect(m1Page.getByRole('status')).toContainText(`An admin of ${org} ended this session`);

  // Remove (m2).
  await owner.goto('/settings/org');
  await members(owner).getByRole('link', { name: m2 }).click();
  await owner.getByRole('link', { name: `Remove ${m2}` }).click();
  await expect(owner.getByRole('heading', { name: `Remove ${m2} from ${org}?` })).toBeVisible();
  await owner.getByRole('button', { name: `Yes, remove ${m2}` }).click();
  await expect(owner.getByRole('status')).toContainText('Removed.');
  await expect(members(owner)).not.toContainText(m2);

  // Transfer to m3: the owner becomes an admin.
  await owner.getByLabel('Hand ownership to').selectOption({ label: m3 });
  await owner.getByRole('button', { name: 'Transfer ownership' }).click();
  await expect(owner.getByRole('heading', { name: `Make ${m3} the owner of ${org}?` })).toBeVisible();
  await owner.getByRole('button', { name: `Yes, make ${m3} the owner` }).click();
  await expect(owner.getByRole('status')).toContainText('Ownership handed over');
  await expect(owner.getByText(/^You are an admin of this organisation\./)).toBeVisible();

  // The former owner leaves.
  await owner.getByRole('link', { name: `Leave ${org}` }).click();
  await expect(owner.getByRole('heading', { name: `Leave ${org}?` })).toBeVisible();
  await owner.getByRole('button', { name: `Leave ${org}` }).click();
  await expect(owner.getByRole('status')).toContainText('You left that organisation');

  // The new owner deletes it: the confirmation names it, and a wrong name deletes nothing.
  await m3Page.goto('/settings/org');
  await m3Page.getByRole('link', { name: `Delete ${org}` }).click();
  await expect(m3Page.getByRole('heading', { name: `Delete ${org}?` })).toBeVisible();
  await m3Page.getByLabel(`Type the organisation’s name, ${org}, to confirm`).fill('Something else');
  await m3Page.getByRole('button', { name: `Delete ${org}` }).click();
  await expect(m3Page.getByRole('alert').filter({ hasText: 'That is not the organisation’s name. Nothing was deleted.' })).toHaveCount(1);
  await m3Page.getByLabel(`Type the organisation’s name, ${org}, to confirm`).fill(org);
  await m3Page.getByRole('button', { name: `Delete ${org}` }).click();
  await expect(m3Page.getByRole('status')).toContainText('Organisation deleted');
  await expect(m3Page.getByRole('heading', { level: 1 })).not.toHaveText(org);
});

test('without JavaScript: declining, switching org and a member’s own org page work', async ({ browser }) => {
  const owner = await noJs(browser);
  const ownerEmail = uniqueEmail('nojs-owner2');
  const memberEmail = uniqueEmail('nojs-member');
  const org = `NoJS2 ${Date.now().toString(36)}`;
  await signIn(owner, ownerEmail, { deviceName: 'Owner desk' });
  await owner.goto('/orgs');
  await owner.getByLabel('Name').fill(org);
  await owner.getByRole('button', { name: 'Create organisation' }).click();
  const since = Date.now() - 1000;
  await invite(owner, memberEmail);
  const member = await joinWithoutJs(browser, memberEmail, since, org);
  await expect(member.getByRole('region', { name: 'Owners and admins' })).toContainText(ownerEmail);
  await expect(member.locator('body')).not.toContainText('Owner desk');

  await member.goto('/orgs');
  await member.getByRole('button', { name: /^Switch to .+'s org$/ }).click();
  await expect(member.getByRole('status')).toHaveText('Switched.');
  await expect(member.getByText(`This device is working in ${memberEmail.split('@')[0]}'s org.`)).toBeVisible();

  const declinerEmail = uniqueEmail('nojs-decliner');
  const again = Date.now() - 1000;
  await invite(owner, declinerEmail);
  const decliner = await noJs(browser);
  const message = await waitForMail(declinerEmail, again, /invited you to/);
  const link = new URL(/https?:\/\/\S+\/invitations\/[A-Za-z0-9_-]{43}/.exec(message.text)?.[0] ?? 'http://x/').pathname;
  await signIn(decliner, declinerEmail, { next: link });
  await decliner.getByRole('button', { name: 'Decline' }).click();
  await expect(decliner.getByRole('status')).toHaveText('You declined the invitation.');
});
