import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { uniqueEmail } from '../support/flows';
import { expectSecurityHeaders } from './support/headers';
import { mailTo, send, signInOverHttp, type Answer } from './support/http';
import { dedicatedServer, SECURITY_PORTS } from './support/server';

/**
 * C6 against `next start`: one client asking for codes to many addresses gets a few sent, then the
 * deployment's global send budget refuses the rest, alike for every address, with no email.
 * This server's budget is 4 codes at once, refilled at 1 a minute (the defaults are larger).
 */
const BURST = 4;
const server = dedicatedServer('send-budget', { port: SECURITY_PORTS.sendBudget, env: { CODE_SEND_BURST: String(BURST), CODE_SENDS_PER_MINUTE: '1' } });

const ask = (email: string, headers: Record<string, string> = {}) => send(server().url, '/sign-in/send', { form: { email }, sameOrigin: true, headers });
const challengesFor = (email: string) => server().queryRow<{ n: number }>('SELECT count(*) AS n FROM sign_in_challenges WHERE email = ?', email)?.n;

/** What a client sees of a refusal, less the clock. */
const observable = (answer: Answer) => ({
  status: answer.status,
  body: answer.text,
  headers: [...answer.headers].filter(([name]) => name !== 'date' && name !== 'content-security-policy'),
  cookies: answer.cookies,
});

test('C6: past the global send budget, codes to new addresses are refused alike with "try again in a minute", no email goes out, and the log names no address', async () => {
  // An account that exists, signed in while the budget was full: it spends one code.
  const known = uniqueEmail('c6-known');
  await signInOverHttp(server().url, known);
  for (let i = 1; i < BURST; i += 1) expect((await ask(uniqueEmail(`c6-burst-${i}`))).status).toBe(202);

  const refused = [known, uniqueEmail('c6-unknown-a'), uniqueEmail('c6-unknown-b'), 'not-yet@example.test'];
  const answers: Answer[] = [];
  for (const email of refused) answers.push(await ask(email));
  for (const answer of answers) {
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('60');
    expect(JSON.parse(answer.text)).toMatchObject({ ok: false, error: 'busy', message: expect.stringMatching(/try again in a minute/i) });
    expectSecurityHeaders(answer.headers);
    expect(observable(answer)).toEqual(observable(answers[0] as Answer));
  }
  // A page's form post is sent back to the form, which says the same.
  const page = await ask(uniqueEmail('c6-page'), { accept: 'text/html' });
  expect(page.status).toBe(303);
  const back = await send(server().url, page.headers.get('location') ?? '/');
  expect(back.text).toMatch(/try again in a minute/i);

  for (const email of refused.slice(1)) {
    expect(challengesFor(email)).toBe(0);
    expect(await mailTo(email)).toEqual([]);
  }
  expect(challengesFor(known)).toBe(1);
  const log = fs.readFileSync(server().logFile, 'utf8');
  expect(log).toContain('code_send_budget_spent');
  for (const email of refused) expect(log).not.toContain(email);
  expect(log).not.toContain('@example.test');
});
