import { expect, test } from '@playwright/test';
import pg from 'pg';
import { uniqueEmail } from '../support/flows';
import { startPostgres, type RunningPostgres } from '../support/postgres';
import { browserWith, clickThenConfirm, recordAction, replay } from './support/actions';
import { claimsOf, Jar, send, signInOverHttp } from './support/http';
import { newKeyring, SECURITY_PORTS, startExpectingRefusal, startServer, type RunningServer } from './support/server';
import { createOrgAs, inviteAndAccept } from './support/orgs';
import { withStore } from './support/store';

/**
 * L9: two production servers, A and B, share one PostgreSQL database. Whatever ends a session on
 * A (or in an operator's process) is refused on B's very next request: nothing on B may remember
 * a session past its revocation. 200 rounds, each: sign in on A, see B accept the session, end
 * it one of four ways, then ask B at once. A refresh token rotated on A and replayed on B after
 * the grace window is caught as reuse.
 */
test.describe.configure({ mode: 'serial', timeout: 300_000 });

const ROUNDS_PER_WAY = 50;
const KEYS = newKeyring('pg1');

let postgres: RunningPostgres;
let a: RunningServer;
let b: RunningServer;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  postgres = await startPostgres('instances', SECURITY_PORTS.postgres);
  const env = { DATABASE_URL: postgres.url, SIGNET_KEYS: KEYS, REFRESH_GRACE_SECONDS: '1' };
  [a, b] = await Promise.all([
    startServer('instance-a', { port: SECURITY_PORTS.instanceA, env }),
    startServer('instance-b', { port: SECURITY_PORTS.instanceB, env }),
  ]);
});

test.afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await postgres?.stop();
});

type Device = { jar: Jar; jti: string; userId: string };

async function device(server: RunningServer, email: string, label: string): Promise<Device> {
  const jar = await signInOverHttp(server.url, email, { device: label });
  const claims = claimsOf(jar.get('signet_at'));
  return { jar, jti: claims.jti, userId: claims.sub };
}

/** What B answers for this device right now: 200 while the session lives, 401 once it has ended. */
async function statusOnB(target: Device): Promise<number> {
  return (await send(b.url, '/api/session', { cookies: target.jar.copy() })).status;
}

test('R5: on PostgreSQL a server refuses to start against an unmigrated schema, and names the release step', async () => {
  const empty = new URL(postgres.url);
  empty.pathname = '/unmigrated';
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  await client.query('DROP DATABASE IF EXISTS unmigrated');
  await client.query('CREATE DATABASE unmigrated');
  await client.end();
  const refused = await startExpectingRefusal('unmigrated', SECURITY_PORTS.refusalsPg, { DATABASE_URL: empty.toString(), SIGNET_KEYS: KEYS });
  expect(refused.code).not.toBe(0);
  expect(refused.answered).toBe(false);
  expect(refused.output).toContain('npm run db:migrate');
});

test('R5: a DATABASE_URL that is not a postgres:// URL stops the server with a message naming it', async () => {
  const refused = await startExpectingRefusal('bad-url', SECURITY_PORTS.refusalsPg, { DATABASE_URL: 'mysql://root@127.0.0.1/signet', SIGNET_KEYS: KEYS });
  expect(refused.code).not.toBe(0);
  expect(refused.answered).toBe(false);
  expect(refused.output).toContain('DATABASE_URL');
});

test('L9: every way of ending a session on A is refused on B at its very next request (200 rounds, 0 stale)', async ({ browser }) => {
  // The admin's org, and the three actions recorded once from A's pages, replayed each round with that round's ids.
  const owner = await device(a, uniqueEmail('l9-owner'), 'Owner laptop');
  let orgId = await withStore({ DATABASE_URL: postgres.url }, (store) => createOrgAs(store, owner, 'L9 org'));
  let invited = 0;
  const recorderEmail = uniqueEmail('l9-recorder');
  const recorder = await device(a, recorderEmail, 'Recorder laptop');
  const recorderPhone = await device(a, recorderEmail, 'Recorder phone');
  // Each member signs in and accepts an invitation from that session, which moves into the owner's org.
  // An org sends at most INVITATIONS_PER_ORG_PER_HOUR invitations, so every 15 members the owner
  // creates a fresh org, which their session (the one replaying the admin action) moves into.
  const newMember = async (name: string, label: string): Promise<Device> => {
    const email = uniqueEmail(name);
    const joined = await device(a, email, label);
    await withStore({ DATABASE_URL: postgres.url }, async (store) => {
      if (invited > 0 && invited % 15 === 0) orgId = await createOrgAs(store, owner, `L9 org ${invited}`);
      invited += 1;
      await inviteAndAccept(store, { userId: owner.userId, orgId }, { ...joined, email }, 'member');
    });
    return joined;
  };
  const recordedMember = await newMember('l9-member', 'Member phone');

  const own = await browserWith(browser, a.url, recorder.jar);
  const signOutOne = await recordAction(own.page, 'sign out one device', '/settings/security', clickThenConfirm('Sign out Recorder phone', 'Yes, sign out Recorder phone'));
  const signOutOthers = await recordAction(own.page, 'sign out all others', '/settings/security', async (p) => {
    await p.getByRole('button', { name: 'Sign out all other devices' }).click();
    await p.getByRole('button', { name: 'Yes, sign out 1 other device' }).click();
  });
  await own.context.close();
  const admin = await browserWith(browser, a.url, owner.jar);
  const endOne = await recordAction(admin.page, 'end one session', `/settings/org/members/${recordedMember.userId}`, (p) =>
    p.getByRole('button', { name: 'End session on Member phone' }).click(),
  );
  await admin.context.close();

  const ways: Array<{ name: string; end: (round: number) => Promise<Device> }> = [
    {
      name: 'sign out one device',
      async end(round) {
        const email = uniqueEmail(`l9-one-${round}`);
        const actor = await device(a, email, 'Laptop');
        const target = await device(a, email, 'Phone');
        expect(await statusOnB(target)).toBe(200);
        const answer = await replay(a.url, signOutOne, { cookies: actor.jar, replace: [[recorderPhone.jti, target.jti]] });
        expect(answer.result).toEqual({ ok: true });
        return target;
      },
    },
    {
      name: 'sign out all others',
      async end(round) {
        const email = uniqueEmail(`l9-others-${round}`);
        const actor = await device(a, email, 'Laptop');
        const target = await device(a, email, 'Phone');
        expect(await statusOnB(target)).toBe(200);
        expect((await replay(a.url, signOutOthers, { cookies: actor.jar })).result).toEqual({ ok: true, count: 1 });
        return target;
      },
    },
    {
      name: 'an admin ends a member session',
      async end(round) {
        const target = await newMember(`l9-member-${round}`, 'Member laptop');
        expect(await statusOnB(target)).toBe(200);
        // The org actions answer with a redirect to a page saying what happened.
        expect((await replay(a.url, endOne, { cookies: owner.jar, replace: [[recordedMember.jti, target.jti]] })).redirect).toContain('?done=session-ended');
        return target;
      },
    },
  ];

  let stale = 0;
  let rounds = 0;
  for (const way of ways) {
    for (let round = 0; round < ROUNDS_PER_WAY; round += 1) {
      const ended = await way.end(round);
      const status = await statusOnB(ended);
      if (status !== 401) stale += 1;
      rounds += 1;
    }
  }
  // Key retirement, from an operator's process (npm run keys -- retire does exactly this revoke):
  // every live session on the key ends, the admin's included, so these rounds come last.
  for (let round = 0; round < ROUNDS_PER_WAY; round += 1) {
    const target = await device(a, uniqueEmail(`l9-key-${round}`), 'Laptop');
    expect(await statusOnB(target)).toBe(200);
    await withStore({ DATABASE_URL: postgres.url }, (store) => store.revoke({ kind: 'key', kid: 'pg1' }, 'rotation', new Date()));
    if ((await statusOnB(target)) !== 401) stale += 1;
    rounds += 1;
  }
  expect(rounds).toBeGreaterThanOrEqual(200);
  expect(stale).toBe(0);
});

test('L9: a refresh token rotated on A and replayed on B after the grace window ends the session (reuse_detected)', async () => {
  const laptop = await device(a, uniqueEmail('l9-replay'), 'Laptop');
  const stolen = laptop.jar.copy();
  expect((await send(a.url, '/refresh', { method: 'POST', cookies: laptop.jar, sameOrigin: true })).status).toBe(204);
  await new Promise((resolve) => setTimeout(resolve, 1_500)); // past REFRESH_GRACE_SECONDS=1
  const replayed = await send(b.url, '/refresh', { method: 'POST', cookies: stolen, sameOrigin: true });
  expect(replayed.status).toBe(401);
  const state = await withStore({ DATABASE_URL: postgres.url }, (store) => store.findSessionForCheck(laptop.jti));
  expect(state?.revokedReason).toBe('reuse_detected');
  // The rotated pair from A is dead too, on both instances.
  expect((await send(b.url, '/api/session', { cookies: laptop.jar.copy() })).status).toBe(401);
  expect((await send(a.url, '/api/session', { cookies: laptop.jar.copy() })).status).toBe(401);
});

