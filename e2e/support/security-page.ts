import { expect, type APIRequestContext, type APIResponse, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { newDevice, signIn, USER_AGENTS, type SignInOptions } from './flows';

/**
 * Steps and locators for the security page. Each device is its own browser context with its own
 * User-Agent, so its label is the sign-in page's suggestion: "Chrome on macOS", "Safari on iOS"...
 */
export const SECURITY_PAGE = '/settings/security';
export const LABELS = { chromeMac: 'Chrome on macOS', safariIphone: 'Safari on iOS', firefoxWindows: 'Firefox on Windows' } as const;
export type DeviceName = keyof typeof USER_AGENTS;
export type Device = { context: BrowserContext; page: Page; errors: string[] };

/** Signs `email` in on a new device and lands on the security page. `errors` collects page errors. */
export async function signedInDevice(browser: Browser, email: string, device: DeviceName, options: SignInOptions & { javaScript?: boolean } = {}): Promise<Device> {
  const { context, page } = await newDevice(browser, USER_AGENTS[device], { javaScript: options.javaScript });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    // A missing favicon is the browser's business; anything else logged as an error is ours.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(message.text());
  });
  await signIn(page, email, { next: SECURITY_PAGE, ...options });
  await expect(page.getByRole('heading', { name: 'Devices and security' })).toBeVisible();
  return { context, page, errors };
}

export async function closeAll(devices: Device[]): Promise<void> {
  for (const device of devices) await device.context.close();
}

const liveRegion = (page: Page): Locator => page.getByRole('region', { name: 'Signed-in devices' });
export const liveList = (page: Page): Locator => liveRegion(page).getByRole('listitem');
export const endedList = (page: Page): Locator => page.getByRole('region', { name: 'Recently ended sessions' }).getByRole('listitem');
export const thisDevice = (page: Page): Locator => liveList(page).filter({ hasText: 'This device' });
/** The line above the list that reports renames and sign-outs. */
export const statusLine = (page: Page): Locator => liveRegion(page).getByRole('status').first();

/** A date with its year and a time of day, as the pages write them in any locale ("Dec 1, 2026, 2:40 PM", "1 Dec 2026, 14:40 UTC"). */
export const DATE_AND_TIME = /\d{4},? (at )?\d{1,2}[:.]\d{2}/;

/**
 * Where a device that was signed out from another device lands: /sign-in, told which device ended
 * it (`from`, when the test knows it) and when, with the date.
 */
export async function expectSignedOutWithNotice(page: Page, from?: string): Promise<void> {
  await expect(page).toHaveURL(/\/sign-in/);
  const notice = page.getByRole('status');
  await expect(notice).toContainText(from ? `You were signed out from ${from}` : /You were signed out from \S/);
  await expect(notice).toContainText(DATE_AND_TIME);
}

/**
 * The page's RSC payload, as the client router asks for it. Next first answers a bare `RSC: 1`
 * with a redirect adding its `_rsc` cache-buster; that redirect is followed by hand so the
 * cookie header goes along (the request API would drop it).
 */
export async function getRsc(request: APIRequestContext, path: string, cookie: string, headers: Record<string, string> = {}): Promise<APIResponse> {
  const all = { cookie, RSC: '1', ...headers };
  const first = await request.get(path, { headers: all, maxRedirects: 0 });
  const location = first.headers().location;
  if (first.status() !== 307 || !location?.includes('_rsc')) return first;
  return request.get(location, { headers: all, maxRedirects: 0 });
}
