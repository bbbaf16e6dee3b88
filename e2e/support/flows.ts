import { expect, type APIRequestContext, type Browser, type BrowserContext, type Page } from '@playwright/test';

/** Shared steps for the browser tests: reading mail from the sink and signing in like a person. */

const MAIL_API = process.env.SIGNET_E2E_MAIL_API ?? 'http://127.0.0.1:3280/messages';

let counter = 0;
export function uniqueEmail(name: string): string {
  counter += 1;
  return `${name}.${Date.now().toString(36)}.${process.pid}.${counter}@example.test`;
}

type SinkMessage = { to: string[]; subject: string; text: string; html: string | null; receivedAt: string };

/** Waits for mail to `to` newer than `since`, and returns the newest. */
export async function waitForMail(to: string, since: number, match: RegExp = /code/i): Promise<SinkMessage> {
  for (let tries = 0; tries < 100; tries += 1) {
    const response = await fetch(`${MAIL_API}?to=${encodeURIComponent(to)}`);
    const messages = (await response.json()) as SinkMessage[];
    const fresh = messages.find((m) => Date.parse(m.receivedAt) >= since && match.test(m.subject));
    if (fresh) return fresh;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no mail for ${to}`);
}

export async function latestCode(to: string, since: number): Promise<string> {
  const message = await waitForMail(to, since);
  const code = /\b(\d{6})\b/.exec(message.text)?.[1];
  if (!code) throw new Error('no code in the email');
  return code;
}

export type SignInOptions = { staySignedIn?: boolean; deviceName?: string; next?: string };

/** Signs in through the real pages: email, the code from the mail sink, device name, submit. */
export async function signIn(page: Page, email: string, options: SignInOptions = {}): Promise<void> {
  await page.goto(options.next ? `/sign-in?next=${encodeURIComponent(options.next)}` : '/sign-in');
  const since = Date.now() - 1000;
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Email me a code' }).click();
  await expect(page).toHaveURL(/\/verify/);
  await page.getByLabel('Sign-in code').fill(await latestCode(email, since));
  if (options.staySignedIn === false) await page.getByLabel('Stay signed in on this device').uncheck();
  if (options.deviceName) await page.getByLabel('Device name').fill(options.deviceName);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).not.toHaveURL(/\/(verify|sign-in)/);
}

/** A separate browser context standing for another device, with its own User-Agent (and JavaScript, unless told). */
export async function newDevice(browser: Browser, userAgent: string, options: { javaScript?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ userAgent, javaScriptEnabled: options.javaScript ?? true });
  return { context, page: await context.newPage() };
}

export const USER_AGENTS = {
  chromeMac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  safariIphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  firefoxWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
} as const;

/** The cookie header a context currently sends, for replaying it through the request API. */
export async function cookieHeader(context: BrowserContext): Promise<string> {
  const cookies = await context.cookies();
  return cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

export async function status(request: APIRequestContext, path: string, cookie: string): Promise<number> {
  const response = await request.get(path, { headers: { cookie }, maxRedirects: 0 });
  return response.status();
}

/** An owner or admin invites `email` from the org page, and the page says it was sent. */
export async function invite(page: Page, email: string, role: 'member' | 'admin' = 'member'): Promise<void> {
  await page.goto('/settings/org');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Role').selectOption(role);
  await page.getByRole('button', { name: 'Invite' }).click();
  await expect(page.getByRole('status')).toContainText('Invitation sent');
}
