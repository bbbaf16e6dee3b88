import { expect, test } from '@playwright/test';
import { uniqueEmail } from './support/flows';
import { closeAll, LABELS, liveList, signedInDevice } from './support/security-page';

// Screenshots land in this test's output folder (test-results/), for a person to look at.
test('at phone width the page fits, and the confirmation works from the keyboard', async ({ browser }, testInfo) => {
  const email = uniqueEmail('phone');
  const laptop = await signedInDevice(browser, email, 'chromeMac', { deviceName: 'A rather long device name for a small screen' });
  const phone = await signedInDevice(browser, email, 'safariIphone');
  await phone.page.setViewportSize({ width: 390, height: 844 });
  await phone.page.reload();
  expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await phone.page.screenshot({ path: testInfo.outputPath('security-phone.png'), fullPage: true });

  await phone.page.getByRole('button', { name: 'Sign out all other devices' }).focus();
  await phone.page.keyboard.press('Enter');
  await expect(phone.page.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await phone.page.keyboard.press('Shift+Tab');
  await expect(phone.page.getByRole('button', { name: 'Yes, sign out 1 other device' })).toBeFocused();
  await phone.page.screenshot({ path: testInfo.outputPath('security-phone-confirm.png'), fullPage: true });
  await phone.page.keyboard.press('Enter');
  await expect(phone.page.getByText('1 device signed out')).toBeVisible();
  await expect(liveList(phone.page)).toHaveCount(1);

  await phone.page.getByRole('button', { name: `Rename ${LABELS.safariIphone}` }).focus();
  await phone.page.keyboard.press('Enter');
  await expect(phone.page.getByLabel(`New name for ${LABELS.safariIphone}`)).toBeFocused();
  expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await phone.page.screenshot({ path: testInfo.outputPath('security-phone-after.png'), fullPage: true });
  await closeAll([laptop, phone]);
});
