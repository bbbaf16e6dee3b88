import { describe, expect, it } from 'vitest';
import { isFormData, isWellFormedActionCall, isWellFormedActionForm } from './action-body';
import { MAX_PAGE_POST_BYTES, screenPagePost } from './page-post';

/**
 * W4: the shapes Signet's own pages send for server actions (recorded from Chromium) pass; bodies
 * React would fail to decode (and Next answer with a bare 500) do not.
 */
const form = (fields: Array<[string, string]>): FormData => {
  const data = new FormData();
  for (const [name, value] of fields) data.append(name, value);
  return data;
};
const ORIGIN = 'http://signet.test';

describe('W4: server-action bodies', () => {
  it('the calls Signet sends pass: a form argument, previous state and a form, no arguments', () => {
    expect(isWellFormedActionCall(form([['_1_sessionId', 'M1Vr1enn0X_tPGx8O3YNQx4N'], ['_1_label', 'X'], ['0', '["$K1"]']]))).toBe(true);
    expect(isWellFormedActionCall(form([['_1_email', 'a@b.test'], ['0', '[{"ok":false,"error":"Check the form."},"$K1"]']]))).toBe(true);
    expect(isWellFormedActionCall('[]')).toBe(true);
    expect(isWellFormedActionCall('[null,"$$literal dollar","$undefined",1.5,true]')).toBe(true);
  });

  it.each(['garbage', '', '[', '{"a":1}', '"x"', '["$Q9"]', '["$@1"]', '["$F1"]', '["$1"]', '["$h1"]', '[{"a":"$D2020"}]', `${'['.repeat(20)}${']'.repeat(20)}`])(
    'a fetch action body %j is refused',
    (body) => {
      expect(isWellFormedActionCall(body)).toBe(false);
      expect(isWellFormedActionCall(form([['0', body]]))).toBe(false);
    },
  );

  it('a form without its argument list, or with parts that are not FormData parts, is refused', () => {
    expect(isWellFormedActionCall(form([['_1_x', 'y']]))).toBe(false);
    expect(isWellFormedActionCall(form([['0', '["$K1"]'], ['1', '[]']]))).toBe(false);
    expect(isWellFormedActionCall(form([['0', '["$K1"]'], ['$ACTION_REF_1', '']]))).toBe(false);
  });

  it('a no-JavaScript form passes as React renders it: an action id, or a bound action with its arguments', () => {
    expect(isWellFormedActionForm(form([['$ACTION_ID_40d0956f', ''], ['sessionId', 'abc'], ['label', 'x']]))).toBe(true);
    const bound: Array<[string, string]> = [['$ACTION_REF_1', ''], ['$ACTION_1:0', '{"id":"609d263f","bound":"$@1"}'], ['$ACTION_1:1', '[null]'], ['$ACTION_KEY', 'k1'], ['email', 'a@b.test']];
    expect(isWellFormedActionForm(form(bound))).toBe(true);
    expect(isWellFormedActionForm(form([['$ACTION_REF_1', ''], ['$ACTION_1:0', '{"id":"609d263f","bound":null}']]))).toBe(true);
  });

  it.each([
    ['a descriptor that is not JSON', [['$ACTION_REF_1', ''], ['$ACTION_1:0', 'nonsense']]],
    ['a descriptor without an id', [['$ACTION_REF_1', ''], ['$ACTION_1:0', '{"bound":null}']]],
    ['bound arguments that are missing', [['$ACTION_REF_1', ''], ['$ACTION_1:0', '{"id":"a","bound":"$@1"}']]],
    ['bound arguments that are garbage', [['$ACTION_REF_1', ''], ['$ACTION_1:0', '{"id":"a","bound":"$@1"}'], ['$ACTION_1:1', '[']]],
    ['bound arguments holding a reference', [['$ACTION_REF_1', ''], ['$ACTION_1:0', '{"id":"a","bound":"$@1"}'], ['$ACTION_1:1', '["$Q2"]']]],
    ['an unknown $ACTION_ field', [['$ACTION_ID_a', ''], ['$ACTION_X', '1']]],
  ] as Array<[string, Array<[string, string]>]>)('a no-JavaScript form with %s is refused', (_label, fields) => {
    expect(isWellFormedActionForm(form(fields))).toBe(false);
  });

  it('an action argument must be a FormData to be read as one', () => {
    expect(isFormData(new FormData())).toBe(true);
    for (const value of [undefined, null, 'x', 5, { get: () => 'x' }]) expect(isFormData(value)).toBe(false);
  });
});

describe('W2, W4: POSTs to pages, screened', () => {
  const post = (body: BodyInit, headers: Record<string, string>) => new Request(`${ORIGIN}/settings/security`, { method: 'POST', body, headers: { origin: ORIGIN, ...headers } });

  it('another site is refused first (403), a body too large next (413), then a malformed action (400)', async () => {
    expect(await screenPagePost(post('[]', { origin: 'https://evil.example', 'next-action': 'a', 'content-type': 'text/plain' }))).toBe(403);
    expect(await screenPagePost(post('x'.repeat(MAX_PAGE_POST_BYTES + 1), { 'content-type': 'text/plain' }))).toBe(413);
    expect(await screenPagePost(post('garbage', { 'next-action': 'a', 'content-type': 'text/plain;charset=UTF-8' }))).toBe(400);
    expect(await screenPagePost(post('[]', { 'next-action': 'a', 'content-type': 'application/octet-stream' }))).toBe(400);
    expect(await screenPagePost(post('--x\r\nbroken', { 'next-action': 'a', 'content-type': 'multipart/form-data; boundary=x' }))).toBe(400);
  });

  it('what Signet sends passes, and so does a form post that names no action', async () => {
    expect(await screenPagePost(post('[]', { 'next-action': 'a', 'content-type': 'text/plain;charset=UTF-8' }))).toBeNull();
    expect(await screenPagePost(post(form([['_1_label', 'x'], ['0', '["$K1"]']]), { 'next-action': 'a' }))).toBeNull();
    expect(await screenPagePost(post(form([['$ACTION_ID_abc', ''], ['label', 'x']]), {}))).toBeNull();
    expect(await screenPagePost(post('a=b', { 'content-type': 'application/x-www-form-urlencoded' }))).toBeNull();
  });
});
