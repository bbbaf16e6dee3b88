import { expect, test } from '@playwright/test';
import { uniqueEmail } from './support/flows';
import { closeAll, LABELS, liveList, SECURITY_PAGE, signedInDevice, statusLine } from './support/security-page';

/**
 * Issue 13, item 9: every action that ends someone else's access asks once, Escape closes a
 * question or the rename form, a pending button says what it is doing, and "Sign out everywhere,
 * including this device" exists.
 */

test('9: signing out one other device asks first; Escape closes the question and the rename form, focus back on their buttons', async ({ browser }) => {
  const email = uniqueEmail('asks');
  const a = await signedInDevice(browser, email, 'chromeMac');
  const b = await signedInDevice(browser, email, 'safariIphone');
  await a.page.reload();
  const signOutB = a.page.getByRole('button', { name: `Sign out ${LABELS.safariIphone}` });
  await signOutB.click();
  const question = a.page.getByRole('group', { name: `Sign out ${LABELS.safariIphone}?` });
  await expect(question).toBeVisible();
  await expect(question.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await expect(liveList(a.page)).toHaveCount(2);
  await a.page.keyboard.press('Escape');
  await expect(question).toHaveCount(0);
  await expect(signOutB).toBeFocused();

  const renameB = a.page.getByRole('button', { name: `Rename ${LABELS.safariIphone}` });
  await renameB.click();
  await expect(a.page.getByLabel(`New name for ${LABELS.safariIphone}`)).toBeFocused();
  await a.page.keyboard.press('Escape');
  await expect(a.page.getByLabel(`New name for ${LABELS.safariIphone}`)).toHaveCount(0);
  await expect(renameB).toBeFocused();

  await signOutB.click();
  await a.page.getByRole('button', { name: `Yes, sign out ${LABELS.safariIphone}` }).click();
  await expect(statusLine(a.page)).toHaveText(`${LABELS.safariIphone} was signed out.`);
  await expect(liveList(a.page)).toHaveCount(1);
  expect(a.errors).toEqual([]);
  await closeAll([a, b]);
});

test('9: a pending sign-out says "Signing out…" and cannot be pressed again', async ({ browser }) => {
  const email = uniqueEmail('pending');
  const a = await signedInDevice(browser, email, 'chromeMac');
  const b = await signedInDevice(browser, email, 'safariIphone');
  await a.page.reload();
  // Hold the action's request for a moment, as a slow network would.
  await a.page.route(SECURITY_PAGE, async (route) => {
    if (route.request().method() === 'POST') await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.continue();
  });
  await a.page.getByRole('button', { name: `Sign out ${LABELS.safariIphone}` }).click();
  await a.page.getByRole('button', { name: `Yes, sign out ${LABELS.safariIphone}` }).click();
  const pending = a.page.getByRole('button', { name: 'Signing out…' });
  await expect(pending).toBeVisible();
  await expect(pending).toBeDisabled();
  await expect(statusLine(a.page)).toHaveText(`${LABELS.safariIphone} was signed out.`);
  await closeAll([a, b]);
});

test('9: "Sign out everywhere, including this device" asks, then ends every session, this one too', async ({ browser }) => {
  const email = uniqueEmail('everywhere');
  const a = await signedInDevice(browser, email, 'chromeMac');
  const b = await signedInDevice(browser, email, 'safariIphone');
  await a.page.reload();
  await a.page.getByRole('button', { name: 'Sign out everywhere, including this device' }).click();
  await expect(a.page.getByRole('group', { name: /Sign out all 2 devices, this one included\?/ })).toBeVisible();
  await a.page.getByRole('button', { name: 'Yes, sign out everywhere' }).click();
  await expect(a.page).toHaveURL(/\/sign-in\?signed-out=1$/);
  await expect(a.page.getByRole('status')).toContainText('You are signed out');
  await b.page.goto(SECURITY_PAGE);
  await expect(b.page).toHaveURL(/\/sign-in/);
  await closeAll([a, b]);
});

// The org pages' destructive actions (end all of a member's sessions, remove, transfer, delete,
// revoke an invitation) each ask once on a page of their own: e2e/org-no-js.spec.ts and
// e2e/org-invitations.spec.ts.
