import { expect, test } from '@playwright/test';
import { uniqueEmail, waitForMail } from './support/flows';
import { expectNoAxeViolations } from './support/look';
import { closeAll, LABELS, signedInDevice } from './support/security-page';

/** Issue 13, item 11: axe finds nothing on any page, in light or dark mode, in its usual states. */

test('11: axe on the sign-in pages: empty, with an error, with a limit, and the code page', async ({ page }) => {
  await page.goto('/sign-in');
  await expectNoAxeViolations(page, '/sign-in');
  await page.goto('/sign-in?error=email');
  await expectNoAxeViolations(page, '/sign-in with an error');
  const until = encodeURIComponent(new Date(Date.now() + 10 * 60_000).toISOString());
  await page.goto(`/sign-in?limit=failures&until=${until}`);
  await expect(page.getByRole('main').getByRole('alert')).toContainText('locked');
  await expectNoAxeViolations(page, '/sign-in with the address locked');
  await page.goto(`/verify?limit=sends&until=${until}`);
  await expect(page.getByRole('main').getByRole('alert')).toContainText('No new code was sent');
  await expectNoAxeViolations(page, '/verify over the send cap');
  await page.goto('/sign-out/failed');
  await expectNoAxeViolations(page, '/sign-out/failed');
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(uniqueEmail('axe'));
  await page.getByRole('button', { name: 'Email me a code' }).click();
  await expect(page).toHaveURL(/\/verify/);
  await expectNoAxeViolations(page, '/verify');
  await page.getByLabel('Sign-in code').fill('000000');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('main').getByRole('alert')).toBeVisible();
  await expectNoAxeViolations(page, '/verify with an error');
  await page.goto('/no-such-page');
  await expectNoAxeViolations(page, 'the not-found page');
});

test('11: axe on the signed-in pages: home, security (with a question and the rename form open), orgs and org', async ({ browser }) => {
  const email = uniqueEmail('axe-in');
  const a = await signedInDevice(browser, email, 'chromeMac');
  const b = await signedInDevice(browser, email, 'safariIphone');
  await b.page.getByRole('button', { name: 'Sign out all other devices' }).click();
  await b.page.getByRole('button', { name: 'Yes, sign out 1 other device' }).click();
  await expect(b.page.getByText('1 device signed out')).toBeVisible();
  await b.page.reload();
  await expectNoAxeViolations(b.page, '/settings/security');
  const askEmail = uniqueEmail('axe-ask');
  const c = await signedInDevice(browser, askEmail, 'firefoxWindows');
  const d = await signedInDevice(browser, askEmail, 'chromeMac');
  await d.page.reload();
  await d.page.getByRole('button', { name: `Sign out ${LABELS.firefoxWindows}` }).click();
  await expect(d.page.getByRole('group', { name: `Sign out ${LABELS.firefoxWindows}?` })).toBeVisible();
  await expectNoAxeViolations(d.page, '/settings/security with a question open');
  await closeAll([c, d]);
  await b.page.getByRole('button', { name: `Rename ${LABELS.safariIphone}` }).click();
  await b.page.getByLabel(`New name for ${LABELS.safariIphone}`).fill(' ');
  await b.page.getByRole('button', { name: 'Save name' }).click();
  await expect(b.page.getByRole('main').getByRole('alert')).toBeVisible();
  await expectNoAxeViolations(b.page, '/settings/security with the rename form showing an error');
  for (const path of ['/', '/orgs', '/settings/org']) {
    await b.page.goto(path);
    await expectNoAxeViolations(b.page, path);
  }
  await closeAll([a, b]);
});

test('11: axe on the pages the alert email opens', async ({ browser, page }) => {
  const email = uniqueEmail('axe-alert');
  const laptop = await signedInDevice(browser, email, 'chromeMac');
  const since = Date.now() - 1000;
  const phone = await signedInDevice(browser, email, 'safariIphone');
  const mail = await waitForMail(email, since, /^New sign-in/);
  const link = /https?:\/\/\S+\/not-you\?token=\S+/.exec(mail.text)?.[0];
  expect(link).toBeTruthy();
  await page.goto(link ?? '');
  await expectNoAxeViolations(page, 'the "Not you?" page');
  await page.getByRole('button', { name: `Sign out ${LABELS.safariIphone}` }).click();
  await expectNoAxeViolations(page, 'the page after reporting');
  await page.goto(link ?? '');
  await expectNoAxeViolations(page, 'the "Not you?" page of a used link');
  await closeAll([laptop, phone]);
});
