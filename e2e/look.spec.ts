import { expect, test, type Page } from '@playwright/test';
import { signIn, uniqueEmail } from './support/flows';
import { box, contrastRatio, focusRingColor, pageBackground, SCHEMES } from './support/look';
import { closeAll, endedList, LABELS, liveList, signedInDevice } from './support/security-page';

/** Issue 13, item 11: cards, lists, the rename form, focus ring and link contrast, and a dark mode. */

/** How far each card's first line sits below the card's own top padding, in pixels. */
async function bandsAboveContent(page: Page): Promise<number[]> {
  return page.locator('main .card').evaluateAll((cards) =>
    cards.map((card) => {
      const first = card.firstElementChild;
      if (!first) return 0;
      const padding = parseFloat(getComputedStyle(card).paddingTop) + parseFloat(getComputedStyle(card).borderTopWidth);
      return Math.round(first.getBoundingClientRect().top - card.getBoundingClientRect().top - padding);
    }),
  );
}

test('11: the rename form and its error stay inside the device card, at 1280 and 390 px, even for a name without spaces', async ({ browser }) => {
  const email = uniqueEmail('look-rename');
  const unbroken = 'W'.repeat(40);
  const a = await signedInDevice(browser, email, 'chromeMac', { deviceName: unbroken });
  for (const width of [1280, 390]) {
    await a.page.setViewportSize({ width, height: 900 });
    await a.page.reload();
    await a.page.getByRole('button', { name: `Rename ${unbroken}` }).click();
    await a.page.getByLabel(`New name for ${unbroken}`).fill('   ');
    await a.page.getByRole('button', { name: 'Save name' }).click();
    const item = liveList(a.page).first();
    await expect(item.getByRole('alert')).toBeVisible();
    const card = await box(item);
    const label = item.getByText(`New name for ${unbroken}`);
    for (const part of [label, item.getByRole('alert'), item.getByLabel(`New name for ${unbroken}`), item.getByRole('button', { name: 'Save name' })]) {
      const inner = await box(part);
      expect(inner.x).toBeGreaterThanOrEqual(card.x);
      expect(inner.x + inner.width).toBeLessThanOrEqual(card.x + card.width);
    }
  }
  await closeAll([a]);
});

test('11: cards start at their padding, the ended-sessions card has padding and room below it, lists have no stray line on top', async ({ browser, page }) => {
  const email = uniqueEmail('look-cards');
  const a = await signedInDevice(browser, email, 'chromeMac');
  const b = await signedInDevice(browser, email, 'safariIphone');
  await b.page.getByRole('button', { name: `Sign out ${LABELS.safariIphone}` }).click();
  await a.page.reload();
  await expect(endedList(a.page)).toHaveCount(1);
  for (const band of await bandsAboveContent(a.page)) expect(band).toBeLessThanOrEqual(2);

  const endedCard = a.page.getByRole('region', { name: 'Recently ended sessions' }).locator('.card');
  expect(parseFloat(await endedCard.evaluate((card) => getComputedStyle(card).paddingLeft))).toBeGreaterThanOrEqual(12);
  const activity = await box(a.page.getByRole('region', { name: 'Recent security activity' }));
  const ended = await box(endedCard);
  expect(activity.y - (ended.y + ended.height)).toBeGreaterThanOrEqual(8);

  await signIn(page, uniqueEmail('look-orgs'));
  for (const path of ['/', '/orgs', '/settings/org']) {
    await page.goto(path);
    for (const band of await bandsAboveContent(page)) expect(band, path).toBeLessThanOrEqual(2);
  }
  await page.goto('/orgs');
  const firstOrg = page.getByRole('region', { name: 'Organisations' }).getByRole('listitem').first();
  expect(await firstOrg.evaluate((item) => getComputedStyle(item).borderTopWidth)).toBe('0px');
  await closeAll([a, b]);
});

test('11: a dark mode follows prefers-color-scheme; in both, the focus ring is 3:1 and links 4.5:1 against the page', async ({ page }) => {
  await signIn(page, uniqueEmail('look-scheme'));
  for (const colorScheme of SCHEMES) {
    await page.emulateMedia({ colorScheme });
    await page.goto('/settings/security');
    const background = await pageBackground(page);
    const againstWhite = contrastRatio('rgb(255, 255, 255)', background);
    if (colorScheme === 'dark') expect(againstWhite, 'a dark page background').toBeGreaterThan(10);
    else expect(againstWhite, 'a light page background').toBeLessThan(1.2);
    const link = page.getByRole('link', { name: 'Back to your account' });
    const linkColor = await link.evaluate((element) => getComputedStyle(element).color);
    expect(contrastRatio(linkColor, background), `link in ${colorScheme}`).toBeGreaterThanOrEqual(4.5);
    const ring = await focusRingColor(page, link);
    expect(contrastRatio(ring, background), `focus ring in ${colorScheme}`).toBeGreaterThanOrEqual(3);
  }
});
