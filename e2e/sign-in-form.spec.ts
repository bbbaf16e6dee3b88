import { expect, test, type Page } from '@playwright/test';
import { latestCode, signIn, uniqueEmail } from './support/flows';

/**
 * Issue 13, items 1, 2 (C7) and 4: the sign-in form keeps what the person chose, explains every
 * limit it enforces in words that are the same for known and unknown addresses, and a signed-in
 * person never lands back on it. Each test runs with JavaScript and without.
 */

const wrongOf = (code: string) => ((Number(code) + 1) % 1_000_000).toString().padStart(6, '0');
/** The words of an answer with its digits (times, counts of minutes) left out, to compare two answers. */
// Times read '14:05 UTC' as rendered on the server and '2:05 PM' once the page has hydrated: both are a time.
const shape = (text: string) =>
  text.replace(/\S+@\S+/g, '<email>').replace(/\d+:\d+( (UTC|AM|PM))?/g, '<time>').replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();

async function askForCode(page: Page, email: string): Promise<string> {
  const since = Date.now() - 1000;
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Email me a code' }).click();
  await expect(page).toHaveURL(/\/verify/);
  return latestCode(email, since);
}

async function enterCode(page: Page, code: string): Promise<void> {
  await page.getByLabel('Sign-in code').fill(code);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

for (const javaScript of [true, false]) {
  const mode = javaScript ? 'with JavaScript' : 'without JavaScript';

  test.describe(mode, () => {
    test.use({ javaScriptEnabled: javaScript });

    test(`1: a wrong code keeps "Stay signed in" unticked and the device name typed (${mode})`, async ({ page, context }) => {
      const email = uniqueEmail('typo-keeps');
      const code = await askForCode(page, email);
      await page.getByLabel('Stay signed in on this device').uncheck();
      await page.getByLabel('Device name').fill('Library computer');
      await enterCode(page, wrongOf(code));
      await expect(page.getByRole('main').getByRole('alert')).toContainText('That code is wrong');
      await expect(page.getByLabel('Stay signed in on this device')).not.toBeChecked();
      await expect(page.getByLabel('Device name')).toHaveValue('Library computer');
      await enterCode(page, code);
      await expect(page.getByRole('heading', { name: 'You are signed in' })).toBeVisible();
      await expect(page.getByText('Library computer')).toBeVisible();
      // Not staying signed in: the refresh cookie dies with the browser.
      expect((await context.cookies()).find((cookie) => cookie.name === 'signet_rt')?.expires).toBe(-1);
    });

    test(`1: "Email me a new code" goes to the same address, and "Use another email" starts from it (${mode})`, async ({ page }) => {
      const email = uniqueEmail('new-code');
      await askForCode(page, email);
      const since = Date.now() - 1000;
      await page.getByRole('button', { name: 'Email me a new code' }).click();
      await expect(page).toHaveURL(/\/verify/);
      await expect(page.getByText(`We sent a 6-digit code to ${email}.`)).toBeVisible();
      const code = await latestCode(email, since);
      await page.getByRole('link', { name: 'Use another email' }).click();
      await expect(page.getByLabel('Email address')).toHaveValue(email);
      await page.goto('/verify');
      await enterCode(page, code);
      await expect(page.getByRole('heading', { name: 'You are signed in' })).toBeVisible();
    });

    test(`C7: after 5 wrong tries the right code is refused with words saying the code is used up (${mode})`, async ({ page }) => {
      const code = await askForCode(page, uniqueEmail('c7-five'));
      for (let i = 0; i < 5; i += 1) await enterCode(page, wrongOf(code));
      await enterCode(page, code);
      const alert = page.getByRole('main').getByRole('alert');
      await expect(alert).toContainText('entered wrongly 5 times');
      await expect(alert).toContainText('Ask for a new code');
      await expect(alert).not.toContainText('wrong or has expired');
      await expect(page.getByRole('button', { name: 'Email me a new code' })).toBeVisible();
    });

    test(`C7: the 6th code in 15 minutes is not sent, and the page says so and when to ask again, alike for known and unknown addresses (${mode})`, async ({ page, request }) => {
      const known = uniqueEmail('c7-sends-known');
      await signIn(page, known); // one code sent
      await page.getByRole('button', { name: 'Sign out' }).click();
      const unknown = uniqueEmail('c7-sends-unknown');
      for (let i = 0; i < 4; i += 1) await request.post('/sign-in/send', { form: { email: known } });
      for (let i = 0; i < 5; i += 1) await request.post('/sign-in/send', { form: { email: unknown } });
      const answers: string[] = [];
      for (const email of [known, unknown]) {
        await page.goto('/sign-in');
        await page.getByLabel('Email address').fill(email);
        await page.getByRole('button', { name: 'Email me a code' }).click();
        const alert = page.getByRole('main').getByRole('alert');
        await expect(alert).toContainText('No new code was sent');
        await expect(alert).toContainText('at most 5 codes');
        await expect(alert).toContainText(/after \d{1,2}[:.]\d{2}/);
        answers.push(shape(await page.locator('main').innerText()));
      }
      expect(answers[0]).toBe(answers[1]);
    });

    test(`C7: after 10 wrong codes the address is locked, and the page says for how long, alike for known and unknown addresses (${mode})`, async ({ page }) => {
      const known = uniqueEmail('c7-lock-known');
      await signIn(page, known);
      await page.getByRole('button', { name: 'Sign out' }).click();
      const unknown = uniqueEmail('c7-lock-unknown');
      const answers: string[] = [];
      for (const email of [known, unknown]) {
        for (let round = 0; round < 2; round += 1) {
          const since = Date.now() - 1000;
          await page.request.post('/sign-in/send', { form: { email } });
          const code = await latestCode(email, since);
          for (let i = 0; i < 5; i += 1) await page.request.post('/verify/confirm', { form: { code: wrongOf(code) }, maxRedirects: 0 });
        }
        await page.goto('/sign-in');
        await page.getByLabel('Email address').fill(email);
        await page.getByRole('button', { name: 'Email me a code' }).click();
        const alert = page.getByRole('main').getByRole('alert');
        await expect(alert).toContainText('locked');
        await expect(alert).toContainText('15 minutes');
        await expect(alert).toContainText(/after \d{1,2}[:.]\d{2}/);
        answers.push(shape(await page.locator('main').innerText()));
      }
      expect(answers[0]).toBe(answers[1]);
    });

    test(`4: after signing in, Back never shows the code page with a stale error, and a signed-in visit to /verify or /sign-in is sent on (${mode})`, async ({ page, baseURL }) => {
      const code = await askForCode(page, uniqueEmail('back'));
      await enterCode(page, wrongOf(code));
      await expect(page.getByRole('main').getByRole('alert')).toBeVisible();
      await enterCode(page, code);
      await expect(page.getByRole('heading', { name: 'You are signed in' })).toBeVisible();
      await page.goBack();
      await expect(page).toHaveURL(`${baseURL}/`);
      await expect(page.getByRole('main').getByRole('alert')).toHaveCount(0);
      await page.goto('/verify');
      await expect(page).toHaveURL(`${baseURL}/`);
      await page.goto('/sign-in?next=%2Fsettings%2Fsecurity');
      await expect(page).toHaveURL(`${baseURL}/settings/security`);
    });

    test(`4: signing yourself out ends on "You are signed out" (${mode})`, async ({ page }) => {
      await signIn(page, uniqueEmail('self-out'));
      await page.getByRole('button', { name: 'Sign out' }).click();
      // POST /sign-out clears every cookie (Clear-Site-Data), so the notice travels in the address.
      await expect(page).toHaveURL(/\/sign-in\?signed-out=1$/);
      await expect(page.getByRole('status')).toContainText('You are signed out');
    });
  });
}
