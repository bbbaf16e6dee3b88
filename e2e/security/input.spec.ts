import { expect, test } from '@playwright/test';
import { uniqueEmail } from '../support/flows';
import { actionIdOf, actionResult } from './support/actions';
import { dynamicRoutes, expectSecurityHeaders, MALFORMED_SEGMENTS } from './support/headers';
import { claimsOf, Jar, send, signInOverHttp, type Answer } from './support/http';
import { sharedServer } from './support/server';

/**
 * W4, second pass: input that used to reach the framework's bare 500 (malformed percent-encoding
 * in a dynamic segment, no-JS action posts from another site, garbage action bodies, 1 MB
 * bodies) gets a clear 4xx with the usual security headers and changes nothing.
 */
const server = sharedServer();
const EVIL = 'https://evil.example';

type Person = { email: string; jar: Jar; jti: string; userId: string };

async function person(email: string, device: string): Promise<Person> {
  const jar = await signInOverHttp(server().url, email, { device });
  const claims = claimsOf(jar.get('signet_at'));
  return { email, jar, jti: claims.jti, userId: claims.sub };
}

/** Someone signed in on a laptop and a phone: the phone is the device the posts try to rename. */
async function laptopAndPhone(name: string): Promise<{ laptop: Person; phone: Person }> {
  const email = uniqueEmail(name);
  return { laptop: await person(email, 'Laptop'), phone: await person(email, 'Phone') };
}

const labelOf = (jti: string) => server().queryRow<{ label: string }>('SELECT device_label AS label FROM sessions WHERE id = ?', jti)?.label;

/** A multipart body as a browser would encode `fields`. */
async function multipart(fields: Array<[string, string]>): Promise<{ body: Uint8Array<ArrayBuffer>; type: string }> {
  const form = new FormData();
  for (const [name, value] of fields) form.append(name, value);
  const encoded = new Response(form);
  return { body: new Uint8Array(await encoded.arrayBuffer()), type: encoded.headers.get('content-type') ?? '' };
}

function expectClear(answer: Answer, status: number, context: string): void {
  expect(answer.status, context).toBe(status);
  expectSecurityHeaders(answer.headers, context);
  expect(answer.text, context).not.toMatch(/Internal Server Error|at [\w.<>]+ \(/);
}

test('W4: every dynamic route answers malformed percent-encoding in its segment with a 400 and the security headers, signed in or not', async () => {
  const { laptop } = await laptopAndPhone('w4-encoding');
  const routes = dynamicRoutes();
  expect(routes).toContain('/settings/org/members/[userId]');
  for (const route of routes) {
    for (const segment of MALFORMED_SEGMENTS) {
      const path = route.replace(/\[[^\]]+\]/g, segment);
      for (const [label, options] of [
        ['signed out', {}],
        ['signed in', { cookies: laptop.jar.copy() }],
        ['RSC', { cookies: laptop.jar.copy(), headers: { rsc: '1' } }],
        ['HEAD', { method: 'HEAD' }],
      ] as const) {
        expectClear(await send(server().url, path, options), 400, `${label} GET ${path}`);
      }
    }
  }
});

test("W4: a no-JavaScript action post from another site is a 403 with the security headers and changes nothing; from Signet's own origin it runs", async () => {
  const { laptop } = await laptopAndPhone('w4-no-js');
  // createOrgAction takes the form alone, as a plain HTML form posts it (the security page's actions also take a previous state).
  const name = `Planted ${Date.now().toString(36)}`;
  const { body, type } = await multipart([[`$ACTION_ID_${actionIdOf('createOrgAction')}`, ''], ['name', name]]);
  const planted = () => server().queryRow<{ n: number }>('SELECT count(*) AS n FROM orgs WHERE name = ?', name)?.n;
  const crossSite: Array<Record<string, string>> = [{ origin: EVIL }, { origin: EVIL, 'sec-fetch-site': 'cross-site' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }];
  for (const headers of crossSite) {
    const answer = await send(server().url, '/orgs', { body, cookies: laptop.jar.copy(), headers: { 'content-type': type, ...headers } });
    expectClear(answer, 403, JSON.stringify(headers));
    expect(planted()).toBe(0);
  }
  const same = await send(server().url, '/orgs', { body, cookies: laptop.jar.copy(), sameOrigin: true, headers: { 'content-type': type, accept: 'text/html' } });
  expect(same.status).toBeLessThan(400);
  expect(planted()).toBe(1);
});

test('W4: a valid action id with a garbage body is a 400 with the security headers and changes nothing', async () => {
  const { laptop, phone } = await laptopAndPhone('w4-garbage');
  const action = { 'next-action': actionIdOf('renameDeviceAction') };
  const text = (body: string, type = 'text/plain;charset=UTF-8'): [string, string, string] => [body.slice(0, 30), body, type];
  const garbage: Array<[string, string | Uint8Array<ArrayBuffer>, string]> = [
    text('garbage'),
    text(''),
    text('['),
    text('{"a":1}'),
    text('["$Q9"]'),
    text('["$@1"]'),
    text('["$F1"]'),
    text('["$K1",'),
    text('\u0000\u0001'),
    text('[1]', 'application/octet-stream'),
  ];
  for (const fields of [[['0', 'nonsense']], [['_1_x', 'no root']], [['0', '["$@2"]']], [['0', '["$Q1"]'], ['1', '[]']], [['0', '["$K1"]'], ['$ACTION_REF_1', '']]] as Array<Array<[string, string]>>) {
    const { body, type } = await multipart(fields);
    garbage.push([JSON.stringify(fields), body, type]);
  }
  garbage.push(['a broken multipart body', '--x\r\nContent-Disposition: form-data; name="0"\r\n\r\n["$K1"]', 'multipart/form-data; boundary=x']);
  for (const [label, body, type] of garbage) {
    const answer = await send(server().url, '/settings/security', { body, cookies: laptop.jar.copy(), sameOrigin: true, headers: { ...action, 'content-type': type } });
    expectClear(answer, 400, label);
  }
  expect(labelOf(phone.jti)).toBe('Phone');
});

test('W4: an action called with well-formed arguments of the wrong kind answers its own refusal, never a 500', async () => {
  const { laptop, phone } = await laptopAndPhone('w4-arguments');
  // The security page's actions answer with a result; the org actions redirect to a page that says what went wrong.
  const answering = ['renameDeviceAction', 'signOutDeviceAction'];
  const redirecting = [
    'inviteAction',
    'revokeInvitationAction',
    'removeMemberAction',
    'endMemberSessionAction',
    'endAllMemberSessionsAction',
    'switchOrgAction',
    'leaveOrgAction',
    'createOrgAction',
    'renameOrgAction',
    'transferOwnershipAction',
    'deleteOrgAction',
  ];
  for (const name of [...answering, ...redirecting]) {
    for (const args of ['[]', '[null]', '["x"]', '[null,5]', '[{"ok":true},"y"]', '[1,2,3,4]']) {
      const answer = await send(server().url, '/settings/security', {
        body: args,
        cookies: laptop.jar.copy(),
        sameOrigin: true,
        headers: { 'next-action': actionIdOf(name), 'content-type': 'text/plain;charset=UTF-8' },
      });
      expect(answer.status, `${name}(${args})`).toBeLessThan(500);
      if (answering.includes(name)) expect(actionResult(answer.text), `${name}(${args})`).toMatchObject({ ok: false });
      else expect(answer.headers.get('x-action-redirect') ?? '', `${name}(${args})`).toMatch(/[?&]error=/);
    }
  }
  expect(labelOf(phone.jti)).toBe('Phone');
  expect(server().queryRow<{ n: number }>('SELECT count(*) AS n FROM sessions WHERE id IN (?, ?) AND revoked_at IS NULL', laptop.jti, phone.jti)?.n).toBe(2);
});

test('W4: a 1 MB rename body is a 413 with the security headers, whether its length is declared or streamed', async () => {
  const { laptop, phone } = await laptopAndPhone('w4-huge');
  const huge = await multipart([['0', '["$K1"]'], ['_1_sessionId', phone.jti], ['_1_label', 'a'.repeat(1024 * 1024)]]);
  const headers = { 'next-action': actionIdOf('renameDeviceAction'), 'content-type': huge.type };
  expectClear(await send(server().url, '/settings/security', { body: huge.body, cookies: laptop.jar.copy(), sameOrigin: true, headers }), 413, 'declared');

  const streamed = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < huge.body.length; i += 64 * 1024) controller.enqueue(huge.body.slice(i, i + 64 * 1024));
      controller.close();
    },
  });
  const response = await fetch(`${server().url}/settings/security`, {
    method: 'POST',
    body: streamed,
    duplex: 'half',
    headers: { ...headers, cookie: laptop.jar.header(), origin: server().url, 'sec-fetch-site': 'same-origin' },
  } as RequestInit);
  expect(response.status, 'streamed').toBe(413);
  expectSecurityHeaders(response.headers, 'streamed');
  expect(labelOf(phone.jti)).toBe('Phone');
});

test('W4: a request carrying two access cookies is treated as signed out, whichever tokens they hold', async () => {
  const { laptop, phone } = await laptopAndPhone('w4-two-cookies');
  const other = await person(uniqueEmail('w4-two-cookies-other'), 'Other');
  const access = (p: Person) => p.jar.get('signet_at') ?? '';
  for (const cookie of [`signet_at=${access(laptop)}; signet_at=${access(laptop)}`, `signet_at=${access(other)}; signet_at=${access(laptop)}`, `signet_at=${access(laptop)}; signet_at=${access(phone)}`]) {
    const page = await send(server().url, '/', { cookies: cookie });
    expect(page.status).toBe(307);
    expect(page.headers.get('location')).toContain('/sign-in');
    expect(page.text).not.toContain(laptop.email);
    expect((await send(server().url, '/api/session', { cookies: cookie })).status).toBe(401);
  }
  expect((await send(server().url, '/', { cookies: `signet_at=${access(laptop)}` })).status).toBe(200);
});
