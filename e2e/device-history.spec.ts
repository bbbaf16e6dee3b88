import { expect, test } from '@playwright/test';
import { signIn, uniqueEmail } from './support/flows';
import { closeAll, DATE_AND_TIME, endedList, expectSignedOutWithNotice, LABELS, liveList, SECURITY_PAGE, signedInDevice, statusLine, thisDevice } from './support/security-page';

/**
 * Issue 13, items 7, 8 and 10: a device keeps the name it was given, the activity list keeps the
 * labels events happened under, and a signed-out device is told which device ended it, and when.
 */

for (const javaScript of [true, false]) {
  const mode = javaScript ? 'with JavaScript' : 'without JavaScript';

  test(`7: a phone that signs in again, its suggested name left as it is, comes back with the name it had (${mode})`, async ({ browser }) => {
    const email = uniqueEmail('keeps-name');
    const laptop = await signedInDevice(browser, email, 'chromeMac', { javaScript });
    const phone = await signedInDevice(browser, email, 'safariIphone', { javaScript });
    await phone.page.getByRole('button', { name: `Rename ${LABELS.safariIphone}` }).click();
    await phone.page.getByLabel(`New name for ${LABELS.safariIphone}`).fill('Anna’s phone');
    await phone.page.getByRole('button', { name: 'Save name' }).click();
    await expect(statusLine(phone.page)).toHaveText('Renamed to Anna’s phone.');
    await phone.page.getByRole('button', { name: 'Sign out Anna’s phone' }).click();
    await expect(phone.page).toHaveURL(/\/sign-in\?signed-out=1$/);

    // The name field suggests what the browser says; left alone, the device gets its old name back.
    await signIn(phone.page, email, { next: SECURITY_PAGE });
    await expect(thisDevice(phone.page)).toContainText('Anna’s phone');
    await expect(endedList(phone.page).filter({ hasText: 'Anna’s phone' })).toHaveCount(1);
    await expect(liveList(phone.page).filter({ hasText: LABELS.safariIphone })).toHaveCount(0);
    await closeAll([laptop, phone]);
  });
}

test('8: the activity list keeps the label each event happened under, and a rename says from what to what; so does the org log', async ({ browser }) => {
  const email = uniqueEmail('history');
  const laptop = await signedInDevice(browser, email, 'chromeMac');
  await laptop.page.getByRole('button', { name: `Rename ${LABELS.chromeMac}` }).click();
  await laptop.page.getByLabel(`New name for ${LABELS.chromeMac}`).fill('Work laptop');
  await laptop.page.getByRole('button', { name: 'Save name' }).click();
  await expect(statusLine(laptop.page)).toHaveText('Renamed to Work laptop.');
  await laptop.page.reload();
  const activity = laptop.page.getByRole('region', { name: 'Recent security activity' });
  await expect(activity).toContainText(`Signed in on ${LABELS.chromeMac}`);
  await expect(activity).not.toContainText('Signed in on Work laptop');
  await expect(activity).toContainText(`Renamed ${LABELS.chromeMac} to Work laptop`);

  await laptop.page.goto('/settings/org');
  const orgLog = laptop.page.getByRole('region', { name: 'Recent activity' });
  await expect(orgLog).toContainText(`${email} signed in on ${LABELS.chromeMac}`);
  await expect(orgLog).toContainText(`${email} renamed ${LABELS.chromeMac} to Work laptop`);
  await closeAll([laptop]);
});

test('10: the signed-out device is told which device ended it, with the date and time; "Signed in" shows a date and a time', async ({ browser }) => {
  const email = uniqueEmail('who-when');
  const laptop = await signedInDevice(browser, email, 'chromeMac', { deviceName: 'Work laptop' });
  const phone = await signedInDevice(browser, email, 'safariIphone');
  await laptop.page.reload();
  await expect(thisDevice(laptop.page).getByText(DATE_AND_TIME).first()).toBeVisible();
  await expect(liveList(laptop.page).filter({ hasText: LABELS.safariIphone }).getByText(DATE_AND_TIME).first()).toBeVisible();

  await laptop.page.getByRole('button', { name: `Sign out ${LABELS.safariIphone}` }).click();
  await laptop.page.getByRole('button', { name: `Yes, sign out ${LABELS.safariIphone}` }).click();
  await expect(statusLine(laptop.page)).toHaveText(`${LABELS.safariIphone} was signed out.`);
  await phone.page.goto('/');
  await expectSignedOutWithNotice(phone.page, 'Work laptop');
  await closeAll([laptop, phone]);
});
