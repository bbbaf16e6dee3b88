/**
 * Server actions as black-box HTTP. A real page in Chromium is driven until it sends an action;
 * that request is stopped before it reaches the server and kept, so a spec can replay it with
 * other ids, other cookies and other headers, exactly as a hostile client could.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { Jar, send, type Answer, type RequestOptions } from './http';

export type RecordedAction = { name: string; path: string; headers: Record<string, string>; body: string };

/** A browser context holding `jar`'s cookies for `base`, with `base` as its baseURL. */
export async function browserWith(browser: Browser, base: string, jar?: Jar): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: base });
  if (jar) await context.addCookies([...jar.values].map(([name, value]) => ({ name, value, url: base })));
  return { context, page: await context.newPage() };
}

/**
 * Opens `path`, runs `trigger` (the clicks that send the action) and returns the action request
 * the page sent, which never reaches the server. The page is left showing its error screen.
 */
export async function recordAction(page: Page, name: string, path: string, trigger: (page: Page) => Promise<void>): Promise<RecordedAction> {
  let recorded: RecordedAction | undefined;
  const matcher = (url: URL) => url.pathname === path;
  await page.route(matcher, async (route) => {
    const request = route.request();
    const action = request.headers()['next-action'];
    if (request.method() !== 'POST' || !action) return route.continue();
    const keep = ['next-action', 'next-router-state-tree', 'content-type', 'accept'];
    const headers = Object.fromEntries(keep.flatMap((key) => (request.headers()[key] ? [[key, request.headers()[key] ?? '']] : [])));
    recorded = { name, path, headers, body: request.postData() ?? '' };
    await route.abort();
  });
  await page.goto(path);
  await trigger(page);
  await expect.poll(() => recorded !== undefined, { message: `the page sent ${name}` }).toBe(true);
  await page.unroute(matcher);
  return recorded as RecordedAction;
}

/**
 * The clicks that send an action behind a confirmation step: its button, then the "Yes" of the
 * question it opens (every action that ends someone's access asks once).
 */
export function clickThenConfirm(button: string, yes: string): (page: Page) => Promise<void> {
  return async (page) => {
    await page.getByRole('button', { name: button }).click();
    await page.getByRole('button', { name: yes }).click();
  };
}

export type ActionAnswer = Answer & {
  /** What the action returned, `{ thrown: true }` when it failed, undefined when it never ran. */
  result: unknown;
  /** Where the action sent the browser (a redirect from inside the action), if anywhere. */
  redirect: string | null;
};

export type ReplayOptions = {
  cookies?: Jar | string;
  /** Values to swap in the recorded body; each must occur in it exactly once. */
  replace?: Array<[string, string]>;
  /** Extra headers (cross-site Origin, bypass headers...). Without them the call is same-origin. */
  headers?: Record<string, string>;
  sameOrigin?: boolean;
};

/** Sends a recorded action again, changed as asked. */
export async function replay(base: string, action: RecordedAction, options: ReplayOptions = {}): Promise<ActionAnswer> {
  let body = action.body;
  for (const [from, to] of options.replace ?? []) {
    expect(body.split(from).length - 1, `${action.name} carries ${from} once`).toBe(1);
    body = body.replace(from, to);
  }
  const request: RequestOptions = {
    method: 'POST',
    body,
    cookies: options.cookies instanceof Jar ? options.cookies.copy() : options.cookies,
    headers: { ...action.headers, ...options.headers },
    sameOrigin: options.sameOrigin ?? !options.headers,
  };
  const answer = await send(base, action.path, request);
  return { ...answer, result: actionResult(answer.text), redirect: answer.headers.get('x-action-redirect') };
}

/** The action's own return value, read from the RSC payload (row 0 names the row that holds it). */
export function actionResult(text: string): unknown {
  const row = /^0:\{"a":"\$@(\w+)"/m.exec(text)?.[1];
  if (!row) return undefined;
  const value = new RegExp(`^${row}:(.*)$`, 'm').exec(text)?.[1];
  if (value === undefined) return undefined;
  if (value.startsWith('E')) return { thrown: true };
  return JSON.parse(value) as unknown;
}

/**
 * An action's RSC payload with what legitimately differs between two calls (times, React's
 * per-render keys, the CSP nonce of each answer) blanked, so two answers can be compared byte for byte.
 */
export function comparable(text: string): string {
  return text
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
    .replace(/"[A-Za-z0-9_-]{20,24}[vm]"/g, '"<key>"')
    .replace(/"nonce":"[A-Za-z0-9+/=_-]+"/g, '"nonce":"<nonce>"');
}

/** The id `next build` gave the server action exported as `name` (from the build's own manifest). */
export function actionIdOf(name: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.resolve('.next/server/server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { exportedName?: string }>;
  };
  const found = Object.entries(manifest.node).find(([, entry]) => entry.exportedName === name)?.[0];
  if (!found) throw new Error(`no server action named ${name} in the build`);
  return found;
}
