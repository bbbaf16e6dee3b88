import { expect, test, type Browser, type Page } from '@playwright/test';
import { latestCode, signIn, uniqueEmail } from './support/flows';
import { dedicatedServer, SECURITY_PORTS } from './security/support/server';

/**
 * Issue 13, item 3: when the mail server or the session store is down, or a sign-out cannot be
 * written, a person's form post gets a page in words, never raw JSON. Fetch clients that ask for
 * JSON (`Accept: application/json`) still get it.
 */
const faulty = dedicatedServer('page-faults', { port: SECURITY_PORTS.pageFaults });
const mailDown = dedicatedServer('mail-down', { port: SECURITY_PORTS.mailDown, env: { SMTP_URL: `smtp://127.0.0.1:${SECURITY_PORTS.closedSmtp}` } });

async function pageOn(browser: Browser, base: string, javaScript: boolean): Promise<Page> {
  const context = await browser.newContext({ baseURL: base, javaScriptEnabled: javaScript });
  return context.newPage();
}

/** The page is a page: HTML in words, with no JSON body showing. */
async function expectWords(page: Page, words: string): Promise<void> {
  await expect(page.getByRole('main').getByRole('alert')).toContainText(words);
  const body = await page.locator('body').innerText();
  expect(body).not.toMatch(/^\s*\{/);
  expect(body).not.toContain('"ok":false');
}

/** Makes every write of one kind fail until the returned function undoes it. */
function failWrites(table: string, when: 'INSERT' | 'UPDATE'): () => void {
  const db = faulty().openDatabase();
  db.exec(`CREATE TRIGGER fail_${table} BEFORE ${when} ON ${table} BEGIN SELECT RAISE(ABORT, 'write refused by the test'); END`);
  return () => {
    db.exec(`DROP TRIGGER fail_${table}`);
    db.close();
  };
}

for (const javaScript of [true, false]) {
  const mode = javaScript ? 'with JavaScript' : 'without JavaScript';

  test(`3: with the mail server down, asking for a code shows a page in words (${mode})`, async ({ browser, request }) => {
    const page = await pageOn(browser, mailDown().url, javaScript);
    await page.goto('/sign-in');
    await page.getByLabel('Email address').fill(uniqueEmail('mail-down'));
    await page.getByRole('button', { name: 'Email me a code' }).click();
    await expectWords(page, 'could not send the email');
    const json = await request.post(`${mailDown().url}/sign-in/send`, { form: { email: uniqueEmail('mail-down-fetch') }, headers: { accept: 'application/json' } });
    expect(json.status()).toBe(503);
    expect(await json.json()).toMatchObject({ ok: false, error: 'mail_unavailable' });
    await page.context().close();
  });

  test(`3: with the store unavailable, asking for a code and entering one show pages in words (${mode})`, async ({ browser }) => {
    const page = await pageOn(browser, faulty().url, javaScript);
    let restore = failWrites('sign_in_challenges', 'INSERT');
    try {
      await page.goto('/sign-in');
      await page.getByLabel('Email address').fill(uniqueEmail('store-down'));
      await page.getByRole('button', { name: 'Email me a code' }).click();
      await expectWords(page, 'cannot reach its session store');
    } finally {
      restore();
    }
    const email = uniqueEmail('store-down-verify');
    const since = Date.now() - 1000;
    await page.goto('/sign-in');
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Email me a code' }).click();
    const code = await latestCode(email, since);
    restore = failWrites('sessions', 'INSERT');
    try {
      await page.getByLabel('Sign-in code').fill(code);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await expectWords(page, 'cannot reach its session store');
    } finally {
      restore();
    }
    await page.context().close();
  });

  test(`3: a sign-out that cannot be written says so on a page, and the person is still signed in (${mode})`, async ({ browser }) => {
    const page = await pageOn(browser, faulty().url, javaScript);
    await signIn(page, uniqueEmail('sign-out-fails'));
    const restore = failWrites('sessions', 'UPDATE');
    try {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await expectWords(page, 'could not sign you out');
    } finally {
      restore();
    }
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'You are signed in' })).toBeVisible();
    await page.context().close();
  });
}
