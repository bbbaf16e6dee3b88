import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { startChallenge } from '../../lib/auth/codes';
import { parseKeyring } from '../../lib/auth/keys';
import { completeSignIn } from '../../lib/auth/sign-in';
import { openDatabase } from '../../lib/db';
import { claimsOf, send } from './support/http';
import { dedicatedServer, SECURITY_PORTS } from './support/server';

/**
 * R3 (and R2's "reads still work") against `next start` on a database file the server process
 * cannot write: the file is made read-only before the server opens it.
 */
const signedIn: Array<{ email: string; access: string; refresh: string }> = [];
const pending = { challengeId: '', code: '' };

const server = dedicatedServer('read-only', {
  port: SECURITY_PORTS.readOnly,
  honourFilePermissions: true,
  // Two people sign in (through the real code flow) and a third asks for a code, before the file becomes read-only.
  async prepare(file, env) {
    const { sqlite, db } = openDatabase(file, { mustExist: true });
    const keyring = parseKeyring(env.SIGNET_KEYS ?? '');
    const policy = { accessTtlSeconds: 900, persistentLifetimeSeconds: 30 * 86_400, browserLifetimeSeconds: 12 * 3600 };
    signedIn.length = 0;
    for (const name of ['reader', 'leaver']) {
      const email = `${name}.${Date.now().toString(36)}@example.test`;
      const now = new Date();
      const challenge = startChallenge(db, keyring, email, now);
      const input = { challengeId: challenge.challengeId, code: challenge.code ?? '', deviceFingerprint: 'f'.repeat(64), deviceType: 'desktop' as const, deviceLabel: 'Probe', persistent: true };
      const result = await completeSignIn(db, keyring, input, policy, now);
      if (!result.ok) throw new Error('could not seed a session');
      signedIn.push({ email, access: result.tokens.accessToken, refresh: result.tokens.refreshToken });
    }
    const open = startChallenge(db, keyring, `pending.${Date.now().toString(36)}@example.test`, new Date());
    Object.assign(pending, { challengeId: open.challengeId, code: open.code ?? '' });
    sqlite.close();
    fs.chmodSync(file, 0o444);
  },
});

function revokedAt(access: string): string | null {
  const db = server().openDatabase();
  try {
    return (db.prepare('SELECT revoked_at AS revoked FROM sessions WHERE id = ?').get(claimsOf(access).jti) as { revoked: string | null }).revoked;
  } finally {
    db.close();
  }
}

test('R3: on a read-only database signed-in pages still render, and sign-out says it failed and keeps the cookies', async () => {
  const [reader, leaver] = signedIn;
  const home = await send(server().url, '/', { cookies: `signet_at=${reader?.access}` });
  expect(home.status).toBe(200);
  expect(home.text).toContain(reader?.email);

  const signOut = await send(server().url, '/sign-out', { method: 'POST', cookies: `signet_at=${leaver?.access}; signet_rt=${leaver?.refresh}`, sameOrigin: true });
  expect(signOut.status).toBe(503);
  expect(signOut.headers.get('retry-after')).toBeTruthy();
  expect(signOut.cookies).toEqual([]);
  expect(JSON.parse(signOut.text)).toMatchObject({ ok: false, error: 'sign_out_failed' });
  expect(revokedAt(leaver?.access ?? '')).toBeNull();
  // ...and that is the truth: the session is still signed in.
  expect((await send(server().url, '/', { cookies: `signet_at=${leaver?.access}` })).status).toBe(200);
});

test('R3: on a read-only database refresh, the proxy, code sending and sign-in say they failed instead of pretending', async () => {
  const [reader] = signedIn;
  const refresh = await send(server().url, '/refresh', { method: 'POST', cookies: `signet_rt=${reader?.refresh}`, sameOrigin: true });
  expect(refresh.status).toBe(503);
  expect(refresh.cookies).toEqual([]);
  const proxied = await send(server().url, '/', { cookies: `signet_rt=${reader?.refresh}` });
  expect(proxied.status).toBe(503);
  expect(proxied.cookies).toEqual([]);
  const code = await send(server().url, '/sign-in/send', { form: { email: 'someone@example.test' }, sameOrigin: true });
  expect(code.status).toBe(503);
  expect(code.cookies).toEqual([]);
  const verify = await send(server().url, '/verify/confirm', { form: { code: pending.code, persistent: 'on' }, cookies: `signet_ch=${pending.challengeId}`, sameOrigin: true });
  expect(verify.status).toBe(503);
  expect(verify.cookies).toEqual([]);
});
