import { expect, test } from '@playwright/test';
import { uniqueEmail } from './support/flows';
import { closeAll, endedList, LABELS, liveList, SECURITY_PAGE, signedInDevice, statusLine, thisDevice } from './support/security-page';

/**
 * Issue 13, item 6: with JavaScript off, every action of the security page works as a plain form
 * post, and each that ends another device asks first on a page of its own.
 */
test.describe('6: the security page without JavaScript', () => {
  test('rename: the form opens on its own page, refuses an empty name in words, and saves', async ({ browser }) => {
    const email = uniqueEmail('nojs-rename');
    const a = await signedInDevice(browser, email, 'chromeMac', { javaScript: false });
    const b = await signedInDevice(browser, email, 'safariIphone');
    await a.page.reload();
    await a.page.getByRole('button', { name: `Rename ${LABELS.safariIphone}` }).click();
    await a.page.getByLabel(`New name for ${LABELS.safariIphone}`).fill('   ');
    await a.page.getByRole('button', { name: 'Save name' }).click();
    await expect(liveList(a.page).getByRole('alert')).toHaveText('A device name has 1 to 64 characters.');
    await a.page.getByLabel(`New name for ${LABELS.safariIphone}`).fill('Kitchen iPhone');
    await a.page.getByRole('button', { name: 'Save name' }).click();
    await expect(statusLine(a.page)).toHaveText('Renamed to Kitchen iPhone.');
    await expect(liveList(a.page).filter({ hasText: 'Kitchen iPhone' })).toHaveCount(1);
    await expect(a.page.getByLabel('New name for Kitchen iPhone')).toHaveCount(0);
    await closeAll([a, b]);
  });

  test('sign out another device: asked first, Cancel keeps it, Yes ends it', async ({ browser }) => {
    const email = uniqueEmail('nojs-one');
    const a = await signedInDevice(browser, email, 'chromeMac', { javaScript: false });
    const b = await signedInDevice(browser, email, 'safariIphone');
    await a.page.reload();
    await a.page.getByRole('button', { name: `Sign out ${LABELS.safariIphone}` }).click();
    const question = a.page.getByRole('group', { name: `Sign out ${LABELS.safariIphone}?` });
    await expect(question).toBeVisible();
    await question.getByRole('link', { name: 'Cancel' }).click();
    await expect(liveList(a.page)).toHaveCount(2);
    await a.page.getByRole('button', { name: `Sign out ${LABELS.safariIphone}` }).click();
    await a.page.getByRole('button', { name: `Yes, sign out ${LABELS.safariIphone}` }).click();
    await expect(statusLine(a.page)).toHaveText(`${LABELS.safariIphone} was signed out.`);
    await expect(liveList(a.page)).toHaveCount(1);
    await expect(endedList(a.page).filter({ hasText: LABELS.safariIphone })).toHaveCount(1);
    await b.page.goto(SECURITY_PAGE);
    await expect(b.page).toHaveURL(/\/sign-in/);
    await closeAll([a, b]);
  });

  test('sign out all other devices, then sign out everywhere, then this device signs itself out', async ({ browser }) => {
    const email = uniqueEmail('nojs-all');
    const a = await signedInDevice(browser, email, 'chromeMac', { javaScript: false });
    const others = [await signedInDevice(browser, email, 'safariIphone'), await signedInDevice(browser, email, 'firefoxWindows')];
    await a.page.reload();
    await a.page.getByRole('button', { name: 'Sign out all other devices' }).click();
    await expect(a.page.getByRole('group', { name: /Sign out 2 other devices\?/ })).toBeVisible();
    await a.page.getByRole('button', { name: 'Yes, sign out 2 other devices' }).click();
    await expect(a.page.getByText('2 devices signed out')).toBeVisible();
    await expect(liveList(a.page)).toHaveCount(1);

    // Two more devices, then everything at once, this one included.
    const more = [await signedInDevice(browser, email, 'safariIphone'), await signedInDevice(browser, email, 'firefoxWindows')];
    await a.page.goto(SECURITY_PAGE);
    await a.page.getByRole('button', { name: 'Sign out everywhere, including this device' }).click();
    await expect(a.page.getByRole('group', { name: /Sign out all 3 devices, this one included\?/ })).toBeVisible();
    await a.page.getByRole('button', { name: 'Yes, sign out everywhere' }).click();
    await expect(a.page).toHaveURL(/\/sign-in\?signed-out=1$/);
    await expect(a.page.getByRole('status')).toContainText('You are signed out');
    for (const device of more) {
      await device.page.goto(SECURITY_PAGE);
      await expect(device.page).toHaveURL(/\/sign-in/);
    }

    // Signing this device out from its own row needs no question: it ends nobody else's access.
    // (Another address: this one has had its 5 codes for the quarter hour.)
    const c = await signedInDevice(browser, uniqueEmail('nojs-self'), 'chromeMac', { javaScript: false, deviceName: 'Desk' });
    await expect(thisDevice(c.page)).toContainText('Desk');
    await c.page.getByRole('button', { name: 'Sign out Desk' }).click();
    await expect(c.page).toHaveURL(/\/sign-in\?signed-out=1$/);
    await expect(c.page.getByRole('status')).toContainText('You are signed out');
    await closeAll([a, c, ...others, ...more]);
  });
});
