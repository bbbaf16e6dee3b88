import { expect, test } from '@playwright/test';
import { z } from 'zod';
import { newDevice, signIn, uniqueEmail, USER_AGENTS, waitForMail } from './support/flows';

const MAIL_API = process.env.SIGNET_E2E_MAIL_API ?? '';

test('signing in on a second kind of device emails a new-sign-in notice linking to the security page', async ({ browser, baseURL }) => {
  const email = uniqueEmail('roamer');
  const laptop = await newDevice(browser, USER_AGENTS.chromeMac);
  await signIn(laptop.page, email);

  const since = Date.now() - 1000;
  const pc = await newDevice(browser, USER_AGENTS.firefoxWindows);
  await signIn(pc.page, email);
  const notice = await waitForMail(email, since, /^New sign-in on Firefox on Windows at \d\d:\d\d UTC$/);
  expect(notice.text).toContain(`${baseURL}/settings/security`);

  // The very first sign-in (a new account) was not reported: exactly one notice arrived.
  const response = await fetch(`${MAIL_API}?to=${encodeURIComponent(email)}`);
  const all = z.array(z.object({ subject: z.string() })).parse(await response.json());
  expect(all.filter((message) => message.subject.startsWith('New sign-in'))).toHaveLength(1);
  await laptop.context.close();
  await pc.context.close();
});
