import { expect, test } from '@playwright/test';
import { cookieHeader, uniqueEmail } from './support/flows';
import {
  closeAll,
  endedList,
  expectSignedOutWithNotice,
  getRsc,
  LABELS,
  liveList,
  SECURITY_PAGE,
  signedInDevice,
  statusLine,
  thisDevice,
} from './support/security-page';

test('three devices see all three, each marks itself, and a rename on one shows on the others', async ({ browser }) => {
  const email = uniqueEmail('three');
  const a = await signedInDevice(browser, email, 'chromeMac');
  const b = await signedInDevice(browser, email, 'safariIphone');
  const c = await signedInDevice(browser, email, 'firefoxWindows', { staySignedIn: false });

  for (const [own, device] of [
    [LABELS.chromeMac, a],
    [LABELS.safariIphone, b],
    [LABELS.firefoxWindows, c],
  ] as const) {
    await device.page.reload();
    const list = liveList(device.page);
    await expect(list).toHaveCount(3);
    for (const label of Object.values(LABELS)) await expect(list.filter({ hasText: label })).toHaveCount(1);
    await expect(thisDevice(device.page)).toHaveCount(1);
    await expect(thisDevice(device.page)).toContainText(own);
    await expect(list.first()).toContainText('This device'); // the current device comes first
    await expect(list.filter({ hasText: LABELS.firefoxWindows })).toContainText('until you close the browser');
    await expect(list.filter({ hasText: LABELS.chromeMac })).not.toContainText('until you close the browser');
    await expect(list.filter({ hasText: LABELS.safariIphone }).locator('svg[data-device-type="mobile"]')).toHaveCount(1);
    await expect(list.filter({ hasText: LABELS.chromeMac }).locator('svg[data-device-type="desktop"]')).toHaveCount(1);
  }

  // A whitespace-only name is refused with a message, and nothing changes.
  await a.page.getByRole('button', { name: `Rename ${LABELS.safariIphone}` }).click();
  await a.page.getByLabel(`New name for ${LABELS.safariIphone}`).fill('   ');
  await a.page.getByRole('button', { name: 'Save name' }).click();
  await expect(liveList(a.page).getByRole('alert')).toHaveText('A device name has 1 to 64 characters.');

  await a.page.getByLabel(`New name for ${LABELS.safariIphone}`).fill('  Kitchen iPhone ');
  await a.page.getByRole('button', { name: 'Save name' }).click();
  await expect(statusLine(a.page)).toHaveText('Renamed to Kitchen iPhone.');
  await expect(a.page.getByRole('button', { name: 'Rename Kitchen iPhone' })).toBeFocused();
  await expect(liveList(a.page).filter({ hasText: 'Kitchen iPhone' })).toHaveCount(1);

  await b.page.reload();
  await expect(thisDevice(b.page)).toContainText('Kitchen iPhone');
  await c.page.reload();
  await expect(liveList(c.page).filter({ hasText: 'Kitchen iPhone' })).toHaveCount(1);
  await expect(liveList(c.page).filter({ hasText: LABELS.safariIphone })).toHaveCount(0);

  // Server and browser rendered the same times (no hydration mismatch), and nothing threw.
  for (const device of [a, b, c]) expect(device.errors).toEqual([]);
  await closeAll([a, b, c]);
});

test('A signs B out: B is refused at once, told why on /sign-in, and its captured cookies are dead', async ({ browser, request, baseURL }) => {
  const email = uniqueEmail('pair');
  const a = await signedInDevice(browser, email, 'chromeMac');
  const b = await signedInDevice(browser, email, 'safariIphone');
  const captured = await cookieHeader(b.context);
  const refreshOnly = (await b.context.cookies()).filter((c) => c.name === 'signet_rt').map((c) => `${c.name}=${c.value}`).join('; ');
  expect(captured).toContain('signet_at=');

  await a.page.reload();
  await a.page.getByRole('button', { name: `Sign out ${LABELS.safariIphone}` }).click();
  await a.page.getByRole('button', { name: `Yes, sign out ${LABELS.safariIphone}` }).click();
  await expect(statusLine(a.page)).toHaveText(`${LABELS.safariIphone} was signed out.`);
  await expect(liveList(a.page)).toHaveCount(1);
  await expect(endedList(a.page).filter({ hasText: LABELS.safariIphone })).toContainText('Signed out from another device');

  // B's stale page tries a server action with its unexpired access token: refused, sent to /sign-in.
  await b.page.getByRole('button', { name: `Sign out ${LABELS.chromeMac}` }).click();
  await b.page.getByRole('button', { name: `Yes, sign out ${LABELS.chromeMac}` }).click();
  await expectSignedOutWithNotice(b.page, LABELS.chromeMac);
  await expect(b.page.getByText(email)).toHaveCount(0);
  // ...and so is its next navigation.
  await b.page.goto(SECURITY_PAGE);
  await expectSignedOutWithNotice(b.page);

  // Replayed well within the access token's 15 minutes, B's cookies open nothing.
  for (const path of [SECURITY_PAGE, '/']) {
    const page = await request.get(path, { headers: { cookie: captured }, maxRedirects: 0 });
    expect(page.status()).toBeGreaterThanOrEqual(300);
    expect(page.status()).toBeLessThan(400);
    expect(page.headers().location).toContain('/sign-in');
  }
  const refresh = await request.post('/refresh', { headers: { cookie: captured, origin: baseURL ?? '' } });
  expect(refresh.status()).toBe(401);
  // The proxy's path (refresh cookie only) ends at /sign-in too, carrying the reason.
  const viaProxy = await request.get(SECURITY_PAGE, { headers: { cookie: refreshOnly }, maxRedirects: 0 });
  expect(viaProxy.status()).toBe(303);
  expect(viaProxy.headers().location).toContain('/sign-in');
  expect(viaProxy.headers()['set-cookie']).toContain('signet_notice=');
  // RSC and prefetch requests reveal nothing either (W1).
  const variants: Record<string, string>[] = [{}, { 'Next-Router-Prefetch': '1' }];
  for (const extra of variants) {
    const response = await getRsc(request, SECURITY_PAGE, captured, extra);
    expect(response.headers()['content-type']).toContain('text/x-component');
    const body = await response.text();
    for (const secret of [email, LABELS.chromeMac, LABELS.safariIphone]) expect(body).not.toContain(secret);
  }

  await a.page.reload();
  await expect(thisDevice(a.page)).toContainText(LABELS.chromeMac);
  await closeAll([a, b]);
});

test('"sign out all other devices" asks first, leaves exactly this one, then this device signs itself out', async ({ browser, request }) => {
  const email = uniqueEmail('others');
  const a = await signedInDevice(browser, email, 'chromeMac');
  const others = [
    await signedInDevice(browser, email, 'safariIphone'),
    await signedInDevice(browser, email, 'firefoxWindows'),
    await signedInDevice(browser, email, 'chromeMac', { deviceName: 'Spare laptop' }),
  ];
  await a.page.reload();
  await expect(liveList(a.page)).toHaveCount(4);

  await a.page.getByRole('button', { name: 'Sign out all other devices' }).click();
  await expect(a.page.getByRole('group', { name: /Sign out 3 other devices\?/ })).toBeVisible();
  await expect(a.page.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await a.page.getByRole('button', { name: 'Cancel' }).click();
  await expect(a.page.getByRole('button', { name: 'Sign out all other devices' })).toBeFocused();
  await a.page.reload();
  await expect(liveList(a.page)).toHaveCount(4);

  await a.page.getByRole('button', { name: 'Sign out all other devices' }).click();
  await a.page.getByRole('button', { name: 'Yes, sign out 3 other devices' }).click();
  await expect(a.page.getByText('3 devices signed out')).toBeVisible();
  await expect(liveList(a.page)).toHaveCount(1);
  await expect(thisDevice(a.page)).toContainText(LABELS.chromeMac);
  await expect(endedList(a.page)).toHaveCount(3);
  for (const other of others) {
    await other.page.goto('/');
    await expectSignedOutWithNotice(other.page);
  }

  // A's own sign-out from the page ends the session and clears this browser's cookies.
  const captured = await cookieHeader(a.context);
  await a.page.getByRole('button', { name: `Sign out ${LABELS.chromeMac}` }).click();
  await expect(a.page).toHaveURL(/\/sign-in\?signed-out=1$/);
  await expect(a.page.getByRole('heading', { name: 'Sign in to Signet' })).toBeVisible();
  const left = (await a.context.cookies()).map((c) => c.name);
  expect(left).not.toContain('signet_at');
  expect(left).not.toContain('signet_rt');
  await a.page.goto(SECURITY_PAGE);
  await expect(a.page).toHaveURL(/\/sign-in\?next=/);
  const replay = await request.get(SECURITY_PAGE, { headers: { cookie: captured }, maxRedirects: 0 });
  expect(replay.headers().location).toContain('/sign-in');

  await closeAll([a, ...others]);
});
