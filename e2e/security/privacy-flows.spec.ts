import { expect, test } from '@playwright/test';
import { signIn } from '../support/flows';
import { PROBE } from './support/http';

/**
 * The browser half of P1: a whole session in Chromium presenting a recognisable User-Agent and
 * the forwarding headers a proxy would add. e2e/security/privacy-scan.spec.ts runs after every
 * other spec and looks for all of it in the databases and server logs.
 */
const PRIVACY_EMAIL_PREFIX = 'privacy-probe'; // privacy-scan.spec.ts checks the scanned data holds this account

test('P1 (flows): sign in, navigate, refresh silently and sign out in a browser that announces its User-Agent and IPs', async ({ browser }) => {
  const context = await browser.newContext({
    userAgent: PROBE.browserUserAgent,
    extraHTTPHeaders: { 'x-forwarded-for': `${PROBE.forwardedFor}, ${PROBE.ipv6}`, 'x-real-ip': PROBE.realIp, forwarded: `for=${PROBE.forwarded}` },
  });
  const page = await context.newPage();
  const email = `${PRIVACY_EMAIL_PREFIX}.${Date.now().toString(36)}@example.test`;
  await signIn(page, email);
  await expect(page.getByRole('heading', { name: 'You are signed in' })).toBeVisible();
  // The device label was derived from the User-Agent (and the User-Agent then dropped).
  await expect(page.getByText('Safari on macOS')).toBeVisible();

  // With the access cookie gone the next navigation refreshes through the proxy.
  await context.clearCookies({ name: 'signet_at' });
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'You are signed in' })).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await context.close();
});
