import { expect, test } from '@playwright/test';
import { cookieHeader, latestCode, signIn, uniqueEmail } from './support/flows';

test('sign up with an emailed code, land on the home page, sign out, and the old cookies are dead', async ({ page, context, request, baseURL }) => {
  const email = uniqueEmail('newcomer');
  await signIn(page, email, { deviceName: 'Test laptop' });
  await expect(page).toHaveURL(`${baseURL}/`);
  await expect(page.getByRole('heading', { name: 'You are signed in' })).toBeVisible();
  await expect(page.getByText(email)).toBeVisible();
  await expect(page.getByText('Test laptop')).toBeVisible();

  const cookies = await context.cookies();
  const access = cookies.find((c) => c.name === 'signet_at');
  expect(access?.httpOnly).toBe(true);
  expect(access?.sameSite).toBe('Lax');
  expect(access?.path).toBe('/');
  const signedInCookies = await cookieHeader(context);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in\?next=%2F/);

  // Replaying the cookies captured while signed in: the page and the refresh endpoint refuse them.
  const home = await request.get('/', { headers: { cookie: signedInCookies }, maxRedirects: 0 });
  expect(home.status()).toBeGreaterThanOrEqual(300);
  expect(home.status()).toBeLessThan(400);
  expect(home.headers().location).toContain('/sign-in');
  const refresh = await request.post('/refresh', { headers: { cookie: signedInCookies, origin: baseURL ?? '' } });
  expect(refresh.status()).toBe(401);
});

test('a wrong code is refused with a clear message and the right one still works', async ({ page }) => {
  const email = uniqueEmail('typo');
  await page.goto('/sign-in');
  const since = Date.now() - 1000;
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Email me a code' }).click();
  await expect(page.getByText(`We sent a 6-digit code to ${email}.`)).toBeVisible();
  const code = await latestCode(email, since);
  const wrong = code === '000000' ? '111111' : '000000';
  await page.getByLabel('Sign-in code').fill(wrong);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByText('That code is wrong.')).toBeVisible();
  await page.getByLabel('Sign-in code').fill(code);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'You are signed in' })).toBeVisible();
});

test('signing in again replaces the cookies the browser had (no fixation)', async ({ page, context }) => {
  const email = uniqueEmail('twice');
  await signIn(page, email);
  const first = (await context.cookies()).find((c) => c.name === 'signet_at')?.value;
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, email);
  const second = (await context.cookies()).find((c) => c.name === 'signet_at')?.value;
  expect(first).toBeTruthy();
  expect(second).toBeTruthy();
  expect(second).not.toBe(first);
});
