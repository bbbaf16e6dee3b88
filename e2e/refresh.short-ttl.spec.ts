import { expect, test } from '@playwright/test';
import { signIn, uniqueEmail } from './support/flows';

// This project's server issues 3-second access tokens (playwright.config.ts).
const PAST_EXPIRY_MS = 4_500;

test('after the access token expires, navigating refreshes silently and the page renders with the new token', async ({ page, context }) => {
  await signIn(page, uniqueEmail('patient'));
  const before = (await context.cookies()).find((c) => c.name === 'signet_at')?.value;
  const refreshBefore = (await context.cookies()).find((c) => c.name === 'signet_rt')?.value;
  expect(before).toBeTruthy();

  // eslint-disable-next-line playwright/no-wait-for-timeout -- the point is to let the real 3-second token expire
  await page.waitForTimeout(PAST_EXPIRY_MS);
  // The browser has dropped the expired access cookie; only the refresh cookie is sent.
  expect((await context.cookies()).some((c) => c.name === 'signet_at')).toBe(false);

  const response = await page.goto('/');
  expect(response?.status()).toBe(200);
  await expect(page).toHaveURL(/\/$/);
  // The page itself checked the session with the token the proxy forwarded in this same request.
  await expect(page.getByRole('heading', { name: 'You are signed in' })).toBeVisible();
  const after = (await context.cookies()).find((c) => c.name === 'signet_at')?.value;
  const refreshAfter = (await context.cookies()).find((c) => c.name === 'signet_rt')?.value;
  expect(after).toBeTruthy();
  expect(after).not.toBe(before);
  expect(refreshAfter).not.toBe(refreshBefore);
});

test('L4: two tabs navigating with an expired access token both stay signed in', async ({ page, context }) => {
  await signIn(page, uniqueEmail('two-tabs'));
  const second = await context.newPage();
  // eslint-disable-next-line playwright/no-wait-for-timeout -- the point is to let the real 3-second token expire
  await page.waitForTimeout(PAST_EXPIRY_MS);
  const [a, b] = await Promise.all([page.goto('/'), second.goto('/')]);
  expect(a?.status()).toBe(200);
  expect(b?.status()).toBe(200);
  await expect(page.getByRole('heading', { name: 'You are signed in' })).toBeVisible();
  await expect(second.getByRole('heading', { name: 'You are signed in' })).toBeVisible();
  // And the session is still alive afterwards for both.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'You are signed in' })).toBeVisible();
});

test('without "stay signed in" the refresh cookie is a browser-session cookie', async ({ page, context }) => {
  await signIn(page, uniqueEmail('shared-computer'), { staySignedIn: false });
  const refresh = (await context.cookies()).find((c) => c.name === 'signet_rt');
  expect(refresh).toBeTruthy();
  expect(refresh?.expires).toBe(-1);
});
