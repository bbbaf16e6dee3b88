import { expect, test } from '@playwright/test';
import { uniqueEmail, waitForMail } from './support/flows';
import { closeAll, endedList, LABELS, SECURITY_PAGE, signedInDevice } from './support/security-page';

/**
 * Issue 13, item 12 (L11): the new-device email, in text and HTML with its times in UTC, carries a
 * one-click "Not you?" link. Opening it (as a mail scanner would, as often as it likes) ends
 * nothing; the one button on its page ends that session, once, without signing in.
 */

const notYouLink = (text: string): string => {
  const link = /https?:\/\/\S+\/not-you\?token=[A-Za-z0-9_-]+/.exec(text)?.[0];
  if (!link) throw new Error(`no "Not you?" link in: ${text}`);
  return link;
};

for (const javaScript of [true, false]) {
  const mode = javaScript ? 'with JavaScript' : 'without JavaScript';

  test(`L11: the alert email's "Not you?" link opens a page whose one button ends that session, once (${mode})`, async ({ browser, request }) => {
    const email = uniqueEmail('not-you');
    const laptop = await signedInDevice(browser, email, 'chromeMac');
    const since = Date.now() - 1000;
    const phone = await signedInDevice(browser, email, 'safariIphone');

    const mail = await waitForMail(email, since, /^New sign-in on Safari on iOS at \d\d:\d\d UTC$/);
    expect(mail.text).toMatch(/\d\d:\d\d UTC/);
    expect(mail.text).toContain('Not you?');
    expect(mail.html).toContain('Not you?');
    expect(mail.html).toMatch(/\d\d:\d\d UTC/);
    const link = notYouLink(mail.text);
    expect(mail.html).toContain(link);

    // Mail scanners follow links: GETs, however many, end nothing.
    for (let i = 0; i < 3; i += 1) expect((await request.get(link)).status()).toBe(200);
    await phone.page.reload();
    await expect(phone.page.getByRole('heading', { name: 'Devices and security' })).toBeVisible();

    // Someone who is not signed in at all opens it and presses the one button.
    const stranger = await browser.newContext({ javaScriptEnabled: javaScript });
    const page = await stranger.newPage();
    await page.goto(link);
    await expect(page.getByRole('heading', { name: /Not you\?/ })).toBeVisible();
    await expect(page.getByRole('button')).toHaveCount(1);
    await page.getByRole('button', { name: `Sign out ${LABELS.safariIphone}` }).click();
    await expect(page.getByRole('heading', { name: `${LABELS.safariIphone} is signed out` })).toBeVisible();

    await phone.page.goto(SECURITY_PAGE);
    await expect(phone.page).toHaveURL(/\/sign-in/);
    await expect(phone.page.getByRole('status')).toContainText('reported from the alert email');
    await laptop.page.goto(SECURITY_PAGE);
    await expect(endedList(laptop.page).filter({ hasText: LABELS.safariIphone })).toContainText('Reported from the alert email');
    await expect(laptop.page.getByRole('region', { name: 'Recent security activity' })).toContainText(
      `Signed out ${LABELS.safariIphone} from the alert email`,
    );

    // Used once: the link now ends nothing and says so.
    await page.goto(link);
    await expect(page.getByText('This link no longer works')).toBeVisible();
    await expect(page.getByRole('button')).toHaveCount(0);
    await stranger.close();
    await closeAll([laptop, phone]);
  });
}

test('L11: the link dies with its session: once the device is signed out another way, the link ends nothing', async ({ browser, page }) => {
  const email = uniqueEmail('not-you-dead');
  const laptop = await signedInDevice(browser, email, 'chromeMac');
  const since = Date.now() - 1000;
  const phone = await signedInDevice(browser, email, 'firefoxWindows');
  const link = notYouLink((await waitForMail(email, since, /^New sign-in/)).text);
  // The link opened while the session was live, its button pressed only after the session ended.
  const stale = await browser.newPage();
  await stale.goto(link);
  await expect(stale.getByRole('button', { name: `Sign out ${LABELS.firefoxWindows}` })).toBeVisible();
  await laptop.page.reload();
  await laptop.page.getByRole('button', { name: `Sign out ${LABELS.firefoxWindows}` }).click();
  await laptop.page.getByRole('button', { name: `Yes, sign out ${LABELS.firefoxWindows}` }).click();
  await expect(endedList(laptop.page).filter({ hasText: LABELS.firefoxWindows })).toContainText('Signed out from another device');
  await page.goto(link);
  await expect(page.getByText('This link no longer works')).toBeVisible();
  await stale.getByRole('button', { name: `Sign out ${LABELS.firefoxWindows}` }).click();
  await expect(stale.getByRole('main').getByRole('alert')).toContainText('Nothing was signed out');
  await stale.close();
  await laptop.page.reload();
  await expect(endedList(laptop.page).filter({ hasText: LABELS.firefoxWindows })).toContainText('Signed out from another device');
  await closeAll([laptop, phone]);
});
