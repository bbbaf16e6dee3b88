import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { uniqueEmail } from './support/flows';
import { expectNoAxeViolations } from './support/look';

/**
 * Issue 13, item 5: on `next dev` (a fresh clone, no SMTP), /verify links to the dev mailbox, the
 * mailbox shows new mail as it arrives, and the server log says where the mailbox is in full.
 */
const DEV_OVERLAY = ['nextjs-portal'];

test('5: /verify links to the dev mailbox, which shows a new code without a reload; the log prints its full URL', async ({ page, context, baseURL }) => {
  test.setTimeout(180_000); // the development server compiles each page on its first visit
  const mailbox = await context.newPage();
  await mailbox.goto('/dev/mailbox');
  await expect(mailbox.getByRole('heading', { name: 'Dev mailbox' })).toBeVisible();

  const email = uniqueEmail('dev');
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Email me a code' }).click();
  await expect(page).toHaveURL(/\/verify/);
  const link = page.getByRole('link', { name: /dev mailbox/i });
  await expect(link).toHaveAttribute('href', '/dev/mailbox');

  // The mailbox page, opened before the mail was sent and never reloaded, shows it.
  await expect(mailbox.getByText(`to ${email}`)).toBeVisible({ timeout: 20_000 });

  const log = fs.readFileSync(path.resolve('data/e2e/dev.log'), 'utf8');
  expect(log).toContain(`${baseURL}/dev/mailbox`);
});

test('11: the mailbox list has no stray line above its first message, and passes axe in light and dark', async ({ page }) => {
  test.setTimeout(180_000);
  const email = uniqueEmail('dev-look');
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Email me a code' }).click();
  await expect(page).toHaveURL(/\/verify/);
  await page.goto('/dev/mailbox');
  const first = page.getByRole('region', { name: 'Messages' }).getByRole('listitem').first();
  await expect(first).toContainText(email);
  expect(await first.evaluate((item) => getComputedStyle(item).borderTopWidth)).toBe('0px');
  await expectNoAxeViolations(page, '/dev/mailbox', DEV_OVERLAY);
});
