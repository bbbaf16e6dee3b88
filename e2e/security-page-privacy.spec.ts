import { createHash } from 'node:crypto';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { cookieHeader, uniqueEmail, USER_AGENTS } from './support/flows';
import { closeAll, endedList, getRsc, LABELS, liveList, SECURITY_PAGE, signedInDevice, statusLine, thisDevice } from './support/security-page';

/** Submits `form` with its hidden session id swapped for `sessionId`, and returns what came back. */
async function tamperedSubmit(page: Page, form: Locator, sessionId: string, button: string): Promise<{ status: number; message: string }> {
  await form.locator('input[name="sessionId"]').evaluate((input, id) => input.setAttribute('value', id), sessionId);
  const response = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === SECURITY_PAGE);
  await form.getByRole('button', { name: button }).click();
  const status = (await response).status();
  // The request is out, so the form is pending; once no button is disabled the answer is shown.
  await expect(page.locator('button[disabled]')).toHaveCount(0);
  await expect(statusLine(page)).not.toBeEmpty();
  return { status, message: (await statusLine(page).textContent()) ?? '' };
}

test('user X posting user Y’s session id to rename and sign-out changes nothing and reads like an unknown id', async ({ browser }) => {
  const xEmail = uniqueEmail('x');
  const x = await signedInDevice(browser, xEmail, 'chromeMac');
  const y = await signedInDevice(browser, uniqueEmail('y'), 'safariIphone');
  const ySessionId = (await y.page.locator('input[name="sessionId"]').first().getAttribute('value')) ?? '';
  expect(ySessionId).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
  const unknownId = 'AAAAAAAAAAAAAAAAAAAAAAAA';

  // X's other device, whose question's "Yes" form gets the swapped id.
  const other = await signedInDevice(browser, xEmail, 'firefoxWindows');
  await x.page.reload();
  const yesButton = `Yes, sign out ${LABELS.firefoxWindows}`;
  const signOut = async (id: string) => {
    await x.page.getByRole('button', { name: `Sign out ${LABELS.firefoxWindows}` }).click();
    return tamperedSubmit(x.page, x.page.locator('form').filter({ has: x.page.getByRole('button', { name: yesButton }) }), id, yesButton);
  };
  const foreignSignOut = await signOut(ySessionId);
  const unknownSignOut = await signOut(unknownId);
  expect(foreignSignOut).toEqual(unknownSignOut);

  const renameForm = x.page.locator('form').filter({ has: x.page.getByRole('button', { name: 'Save name' }) });
  const rename = async (id: string) => {
    await x.page.getByRole('button', { name: `Rename ${LABELS.chromeMac}` }).click();
    await x.page.getByLabel(`New name for ${LABELS.chromeMac}`).fill('Taken over');
    return tamperedSubmit(x.page, renameForm, id, 'Save name');
  };
  const foreignRename = await rename(ySessionId);
  const unknownRename = await rename(unknownId);
  expect(foreignRename).toEqual(unknownRename);

  // Y is still signed in under its own name; X still has its own session, unrenamed.
  await y.page.reload();
  await expect(thisDevice(y.page)).toContainText(LABELS.safariIphone);
  await expect(y.page.getByText('Taken over')).toHaveCount(0);
  await expect(endedList(y.page)).toHaveCount(0);
  await x.page.reload();
  await expect(thisDevice(x.page)).toContainText(LABELS.chromeMac);
  await expect(liveList(x.page).filter({ hasText: LABELS.firefoxWindows })).toHaveCount(1);
  await expect(x.page.getByText('Taken over')).toHaveCount(0);
  await closeAll([x, y, other]);
});

test('the page’s HTML and RSC payload carry no token and no fingerprint (P2)', async ({ browser, request }) => {
  const email = uniqueEmail('payload');
  const a = await signedInDevice(browser, email, 'chromeMac');
  const b = await signedInDevice(browser, email, 'safariIphone');
  const secrets: string[] = [];
  for (const device of [a, b]) {
    for (const cookie of await device.context.cookies()) if (cookie.name === 'signet_at' || cookie.name === 'signet_rt') secrets.push(cookie.value);
  }
  expect(secrets).toHaveLength(4);
  for (const ua of [USER_AGENTS.chromeMac, USER_AGENTS.safariIphone]) secrets.push(createHash('sha256').update(ua).digest('hex'));

  const cookie = await cookieHeader(a.context);
  const html = await request.get(SECURITY_PAGE, { headers: { cookie }, maxRedirects: 0 });
  const rsc = await getRsc(request, SECURITY_PAGE, cookie);
  expect(rsc.headers()['content-type']).toContain('text/x-component');
  for (const response of [html, rsc]) {
    expect(response.status()).toBe(200);
    const body = await response.text();
    expect(body).toContain(LABELS.safariIphone); // the list really is in there
    for (const secret of secrets) expect(body).not.toContain(secret);
  }
  await closeAll([a, b]);
});
