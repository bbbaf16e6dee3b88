import { expect, test } from '@playwright/test';
import { signIn, uniqueEmail } from '../support/flows';
import { liveList, statusLine } from '../support/security-page';

/**
 * W6 in the browser: a device name typed at sign-in or in "Rename" loses its direction-changing
 * and invisible characters, and the page shows it exactly as stored ("Work gnp.exe", never the
 * "Work exe.png" that U+202E would make of it).
 */
const HOSTILE = 'Work \u202Egnp.exe\u200B\u2066';
const STORED = 'Work gnp.exe';

test('W6: a typed device name is stored without bidi or zero-width characters, and shown exactly as stored', async ({ page }) => {
  await signIn(page, uniqueEmail('w6-label'), { deviceName: `\u2067Laptop\u200D\u0085`, next: '/settings/security' });
  await expect(page.getByRole('heading', { name: 'Devices and security' })).toBeVisible();
  const heading = liveList(page).first().getByRole('heading', { level: 3 });
  await expect(heading).toHaveText(/^Laptop This device$/);

  await page.getByRole('button', { name: 'Rename Laptop' }).click();
  await page.getByLabel('New name for Laptop').fill(HOSTILE);
  await page.getByRole('button', { name: 'Save name' }).click();
  await expect(statusLine(page)).toHaveText(`Renamed to ${STORED}.`);
  await expect(heading).toHaveText(`${STORED} This device`);
  // What the page holds is the stored text, character for character.
  expect(await heading.evaluate((element) => element.firstChild?.textContent ?? '')).toBe(STORED);

  await page.reload();
  await expect(heading).toHaveText(`${STORED} This device`);
  await page.getByRole('button', { name: `Rename ${STORED}` }).click();
  await expect(page.getByLabel(`New name for ${STORED}`)).toHaveValue(STORED);
});
