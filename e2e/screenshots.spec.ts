import { expect, test } from '@playwright/test';
import { uniqueEmail } from './support/flows';
import { closeAll, LABELS, liveList, SECURITY_PAGE, signedInDevice } from './support/security-page';

/**
 * Not a check: pictures of the security page for docs/screenshots/, taken only when asked
 * (SIGNET_SCREENSHOTS=before|after npx playwright test e2e/screenshots.spec.ts), at laptop and
 * phone widths, in light and dark.
 */
const stage = process.env.SIGNET_SCREENSHOTS;

test('the security page at 1280 and 390 px, light and dark', async ({ browser }) => {
  test.skip(!stage, 'set SIGNET_SCREENSHOTS=before|after to take the pictures');
  const email = uniqueEmail('screens');
  const laptop = await signedInDevice(browser, email, 'chromeMac', { deviceName: 'Work laptop' });
  const old = await signedInDevice(browser, email, 'firefoxWindows');
  const phone = await signedInDevice(browser, email, 'safariIphone', { staySignedIn: false });
  await laptop.page.goto(SECURITY_PAGE);
  await expect(liveList(laptop.page)).toHaveCount(3);
  await old.page.goto(SECURITY_PAGE);
  await old.page.getByRole('button', { name: `Sign out ${LABELS.firefoxWindows}` }).click();
  await expect(old.page).toHaveURL(/\/sign-in/);

  for (const colorScheme of ['light', 'dark'] as const) {
    for (const width of [1280, 390]) {
      await laptop.page.emulateMedia({ colorScheme });
      await laptop.page.setViewportSize({ width, height: width > 500 ? 900 : 844 });
      await laptop.page.goto(SECURITY_PAGE);
      await expect(liveList(laptop.page)).toHaveCount(2);
      await laptop.page.screenshot({ path: `docs/screenshots/security-${stage}-${width}-${colorScheme}.png`, fullPage: true });
    }
  }
  await closeAll([laptop, old, phone]);
});
