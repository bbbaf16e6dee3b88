import { expect, test, type Page } from '@playwright/test';
import { signIn, uniqueEmail } from '../support/flows';
import { expectSecurityHeaders, expectStrictPolicy, nonceOf } from './support/headers';
import { claimsOf, send, signInOverHttp } from './support/http';

/**
 * W5 against the shared production server: a strict nonce-based Content-Security-Policy that
 * every page renders under without a single violation in Chromium, and the other modern headers
 * on every kind of answer.
 */

type Watch = { violations: string[]; console: string[]; policies: Array<[string, string | null]> };

/** Records CSP violations (the DOM event and the console), and the policy of every document. */
async function watch(page: Page): Promise<Watch> {
  const seen: Watch = { violations: [], console: [], policies: [] };
  await page.exposeFunction('reportCspViolation', (line: string) => seen.violations.push(line));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { reportCspViolation: (line: string) => void }).reportCspViolation;
      report(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'} on ${location.pathname}`);
    });
  });
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to (execute|load|apply|connect|frame)/i.test(message.text())) seen.console.push(message.text());
  });
  page.on('response', (response) => {
    if (response.request().resourceType() === 'document') seen.policies.push([response.url(), response.headers()['content-security-policy'] ?? null]);
  });
  return seen;
}

test('W5: every page, signed out and signed in, renders and hydrates in Chromium under the strict CSP with no violation', async ({ page }) => {
  const seen = await watch(page);
  const visit = async (path: string, heading: string | RegExp) => {
    await page.goto(path);
    await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
  };
  await visit('/sign-in', 'Sign in to Signet');
  await visit('/sign-in?error=email', 'Sign in to Signet');
  await visit('/nowhere', /not found/i);

  const email = uniqueEmail('w5-csp');
  await signIn(page, email, { deviceName: 'CSP laptop' });
  await visit('/', 'You are signed in');
  await visit('/settings/security', 'Devices and security');
  // Hydrated: the rename button is a client component, which does nothing if its script was blocked.
  await page.getByRole('button', { name: 'Rename CSP laptop' }).click();
  await expect(page.getByLabel('New name for CSP laptop')).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await visit('/settings/org', /org/i);
  const userId = claimsOf((await page.context().cookies()).find((c) => c.name === 'signet_at')?.value).sub;
  await visit(`/settings/org/members/${userId}`, email);
  await visit('/orgs', /org/i);
  // A client-side navigation loads its chunks under strict-dynamic too.
  await page.getByRole('link', { name: 'Signet' }).click();
  await expect(page.getByRole('heading', { name: 'You are signed in' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);

  expect(seen.policies.length).toBeGreaterThanOrEqual(10);
  for (const [url, policy] of seen.policies) expectStrictPolicy(policy, url);
  expect(seen.violations).toEqual([]);
  expect(seen.console).toEqual([]);
});

test('W5: each answer has a fresh nonce, and every script of the page carries it', async () => {
  const nonces = new Set<string>();
  for (let i = 0; i < 3; i += 1) {
    const answer = await send(test.info().project.use.baseURL ?? '', '/sign-in');
    const nonce = nonceOf(answer.headers.get('content-security-policy'));
    expect(nonce).toBeTruthy();
    nonces.add(nonce ?? '');
    const scripts = answer.text.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
  }
  expect(nonces.size).toBe(3);
});

test('W5: pages, redirects, 404s, JSON, route handlers and refusals all carry the security headers; no HSTS on http', async () => {
  const base = test.info().project.use.baseURL ?? '';
  const jar = await signInOverHttp(base, uniqueEmail('w5-headers'));
  const answers = {
    page: await send(base, '/sign-in'),
    signedInPage: await send(base, '/', { cookies: jar.copy() }),
    redirect: await send(base, '/settings/security'),
    notFound: await send(base, '/nowhere'),
    json: await send(base, '/api/health'),
    unauthorized: await send(base, '/api/session'),
    wrongMethod: await send(base, '/refresh'),
    crossSite: await send(base, '/sign-in/send', { form: { email: 'x@example.test' }, headers: { origin: 'https://evil.example' } }),
    badBody: await send(base, '/verify/confirm', { body: '{', sameOrigin: true, headers: { 'content-type': 'application/json' } }),
    refresh: await send(base, '/refresh', { method: 'POST', cookies: jar.copy(), sameOrigin: true }),
  };
  expect(answers.redirect.status).toBe(307);
  expect(answers.notFound.status).toBe(404);
  expect(answers.crossSite.status).toBe(403);
  for (const [label, answer] of Object.entries(answers)) {
    expectSecurityHeaders(answer.headers, label);
    expect(answer.headers.get('strict-transport-security'), label).toBeNull();
  }
});

test('W5: every sign-out answer asks the browser to clear its cookies (Clear-Site-Data)', async () => {
  const base = test.info().project.use.baseURL ?? '';
  const jar = await signInOverHttp(base, uniqueEmail('w5-clear'));
  for (const cookies of [jar.copy(), undefined]) {
    const answer = await send(base, '/sign-out', { method: 'POST', cookies, sameOrigin: true });
    expect(answer.status).toBe(303);
    expect(answer.headers.get('clear-site-data')).toBe('"cookies"');
    expectSecurityHeaders(answer.headers, 'sign-out');
  }
  // Other answers leave the browser's data alone.
  expect((await send(base, '/sign-in')).headers.get('clear-site-data')).toBeNull();
});
