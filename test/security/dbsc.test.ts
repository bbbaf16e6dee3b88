import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { offerDeviceBinding, refreshWithDeviceKey, registerDeviceKey } from '@/lib/auth/device-binding';
import { rotateRefreshToken } from '@/lib/auth/refresh';
import { DBSC_CHALLENGE_TTL_SECONDS } from '@/lib/rules';
import { getStore } from '@/lib/store';
import { POST as deviceRefreshRoute } from '@/app/dbsc/refresh/route';
import { POST as registerRoute } from '@/app/dbsc/register/route';
import { POST as plainRefresh } from '@/app/refresh/route';
import { proxy } from '@/proxy';
import { at, contextAt, signIn, uniqueEmail } from '@/test/helpers';
import { count, sessionRow } from '@/test/inspect';
import { encode } from './forge';

/**
 * DBSC without a browser: a small client signs registrations and refreshes with an ES256 key of
 * its own, as Chrome does, and every way to get it wrong is refused. Clocks are injected.
 */

const T0 = new Date('2031-07-01T08:00:00.000Z');

/** A browser's key store for one session: registration proofs carry the public key, refreshes don't. */
class DeviceClient {
  private constructor(
    private readonly privateKey: CryptoKey,
    readonly jwk: JWK,
    readonly alg: string,
  ) {}

  static async create(alg = 'ES256'): Promise<DeviceClient> {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    return new DeviceClient(privateKey, await exportJWK(publicKey), alg);
  }

  sign(challenge: string, header: Record<string, unknown> = {}, embedKey = true): Promise<string> {
    return new SignJWT({ jti: challenge })
      .setProtectedHeader({ alg: this.alg, typ: 'dbsc+jwt', ...(embedKey ? { jwk: this.jwk } : {}), ...header })
      .sign(this.privateKey);
  }

  refreshProof(challenge: string): Promise<string> {
    return this.sign(challenge, {}, false);
  }
}

/** Signs in at `now` and takes the registration challenge Signet offers with the new session. */
async function offered(now = T0, name = 'dbsc') {
  const signedIn = await signIn(uniqueEmail(name), now);
  const challenge = await offerDeviceBinding(await contextAt(now), signedIn.sessionId);
  if (!challenge) throw new Error('no registration challenge was offered');
  return { ...signedIn, challenge };
}

const register = async (accessToken: string, proof: string | null, now = T0) => registerDeviceKey(await contextAt(now), accessToken, proof);
const deviceRefresh = async (refreshToken: string, sessionId: string, proof: string | null, now: Date) => refreshWithDeviceKey(await contextAt(now), refreshToken, sessionId, proof);
const plainRotation = async (refreshToken: string, now: Date) => rotateRefreshToken(await contextAt(now), refreshToken);

/** A session bound to `client`'s key. */
async function bound(client: DeviceClient, now = T0) {
  const session = await offered(now);
  expect(await register(session.tokens.accessToken, await client.sign(session.challenge), now)).toEqual({ ok: true, sessionId: session.sessionId });
  return session;
}

/** The challenge a DBSC refresh without a proof answers with (403). */
async function refreshChallenge(session: { sessionId: string; tokens: { refreshToken: string } }, now: Date): Promise<string> {
  const answer = await deviceRefresh(session.tokens.refreshToken, session.sessionId, null, now);
  if (answer.ok || answer.error !== 'proof_required') throw new Error(`expected a challenge, got ${JSON.stringify(answer)}`);
  return answer.challenge;
}

const events = (sessionId: string, type: string) => count('SELECT count(*) AS n FROM security_events WHERE session_id = $1 AND type = $2', [sessionId, type]);

describe('DBSC registration', () => {
  it('DBSC: a proof signed by the embedded ES256 key over this session’s challenge binds it, once, and is recorded', async () => {
    const client = await DeviceClient.create();
    const session = await bound(client);
    const row = await sessionRow(session.sessionId);
    expect(row).toBeDefined();
    const stored = await (await getStore()).findDeviceKey(session.sessionId, T0);
    expect(JSON.parse(stored ?? '{}')).toEqual({ alg: 'ES256', jwk: { kty: 'EC', crv: 'P-256', x: client.jwk.x, y: client.jwk.y } });
    expect(await events(session.sessionId, 'device_bound')).toBe(1);
    const devices = await (await getStore()).listDevices(session.userId, T0, T0, 10);
    expect(devices.live.map((device) => device.deviceBound)).toEqual([true]);
  });

  it('DBSC: the wrong typ, an algorithm outside the offer, alg none and a missing key are refused (invalid_proof), and bind nothing', async () => {
    const session = await offered();
    const es256 = await DeviceClient.create();
    const es384 = await DeviceClient.create('ES384');
    const unsigned = `${encode({ alg: 'none', typ: 'dbsc+jwt', jwk: es256.jwk })}.${encode({ jti: session.challenge })}.`;
    const proofs = [
      await es256.sign(session.challenge, { typ: 'JWT' }),
      await es256.sign(session.challenge, { typ: 'application/dbsc+jwt' }),
      await es384.sign(session.challenge),
      unsigned,
      await es256.refreshProof(session.challenge), // no embedded key
      'not.a.jws',
      'x'.repeat(20_000),
    ];
    for (const proof of proofs) {
      expect(await register(session.tokens.accessToken, proof)).toMatchObject({ ok: false, error: 'invalid_proof' });
    }
    expect(await register(session.tokens.accessToken, null)).toMatchObject({ ok: false, error: 'invalid_proof' });
    expect(await (await getStore()).findDeviceKey(session.sessionId, T0)).toBeNull();
    // The challenge was not spent by the refusals: the right proof still binds.
    expect((await register(session.tokens.accessToken, await es256.sign(session.challenge))).ok).toBe(true);
  });

  it('DBSC: a replayed challenge, an expired one and another session’s are refused', async () => {
    const client = await DeviceClient.create();
    const first = await bound(client);
    const second = await offered();
    const third = await offered();
    // first's challenge was used: replaying its proof for another session is another session's challenge, and used.
    expect(await register(second.tokens.accessToken, await client.sign(first.challenge))).toMatchObject({ ok: false, error: 'invalid_challenge' });
    // third's challenge presented by second's session.
    expect(await register(second.tokens.accessToken, await client.sign(third.challenge))).toMatchObject({ ok: false, error: 'invalid_challenge' });
    // second's own challenge, too late.
    const late = at(T0, DBSC_CHALLENGE_TTL_SECONDS + 1);
    expect(await register(second.tokens.accessToken, await client.sign(second.challenge), late)).toMatchObject({ ok: false, error: 'invalid_challenge' });
    expect(await count('SELECT count(*) AS n FROM sessions WHERE id IN ($1, $2) AND dbsc_public_key IS NOT NULL', [second.sessionId, third.sessionId])).toBe(0);
  });

  it('DBSC: a bound session is never bound again: no new registration challenge, and another key is refused (already_bound)', async () => {
    const session = await bound(await DeviceClient.create());
    expect(await offerDeviceBinding(await contextAt(at(T0, 1)), session.sessionId)).toBeNull();
    const intruder = await DeviceClient.create();
    const refreshChallengeValue = await refreshChallenge(session, at(T0, 2));
    expect(await register(session.tokens.accessToken, await intruder.sign(refreshChallengeValue), at(T0, 3))).toMatchObject({ ok: false, error: 'already_bound' });
    expect(await register(session.tokens.accessToken, await intruder.sign(session.challenge), at(T0, 3))).toMatchObject({ ok: false, error: 'already_bound' });
    const stored = JSON.parse((await (await getStore()).findDeviceKey(session.sessionId, T0)) ?? '{}') as { jwk?: { x?: string } };
    expect(stored.jwk?.x).not.toBe(intruder.jwk.x);
  });

  it('DBSC: registration for a revoked or expired session is refused, and a revocation drops the key and the challenges', async () => {
    const client = await DeviceClient.create();
    const revoked = await offered();
    await (await getStore()).revoke({ kind: 'session', userId: revoked.userId, sessionId: revoked.sessionId, fromSessionId: null }, 'sign_out', at(T0, 1));
    expect(await count('SELECT count(*) AS n FROM dbsc_challenges WHERE session_id = $1', [revoked.sessionId])).toBe(0);
    expect(await register(revoked.tokens.accessToken, await client.sign(revoked.challenge), at(T0, 2))).toMatchObject({ ok: false, error: 'signed_out' });
    // The store refuses it too, whatever an edge checked before.
    const store = await getStore();
    const input = { sessionId: revoked.sessionId, userId: revoked.userId, challenge: revoked.challenge, publicKey: '{}' };
    expect(await store.bindDeviceKey(input, at(T0, 2))).toBe('ended');

    const expiring = await offered();
    const pastEnd = at(T0, 31 * 86_400);
    expect(await store.bindDeviceKey({ ...input, sessionId: expiring.sessionId, userId: expiring.userId, challenge: expiring.challenge }, pastEnd)).toBe('ended');

    const boundOne = await bound(client);
    await refreshChallenge(boundOne, at(T0, 1));
    await store.revoke({ kind: 'session', userId: boundOne.userId, sessionId: boundOne.sessionId, fromSessionId: null }, 'sign_out', at(T0, 2));
    expect(await count('SELECT count(*) AS n FROM sessions WHERE id = $1 AND dbsc_public_key IS NOT NULL', [boundOne.sessionId])).toBe(0);
    expect(await count('SELECT count(*) AS n FROM dbsc_challenges WHERE session_id = $1', [boundOne.sessionId])).toBe(0);
  });
});

describe('DBSC refresh', () => {
  it('DBSC: a proof from the stored key over a fresh challenge rotates as a refresh does; the challenge answers once', async () => {
    const client = await DeviceClient.create();
    const session = await bound(client);
    const now = at(T0, 901);
    const challenge = await refreshChallenge(session, now);
    const proof = await client.refreshProof(challenge);
    const refreshed = await deviceRefresh(session.tokens.refreshToken, session.sessionId, proof, now);
    expect(refreshed.ok).toBe(true);
    expect((await sessionRow(session.sessionId))?.refreshGeneration).toBe(1);
    // The same proof again: its challenge is spent, so a new challenge and no rotation.
    const replayed = await deviceRefresh(session.tokens.refreshToken, session.sessionId, proof, at(now, 1));
    expect(replayed).toMatchObject({ ok: false, error: 'proof_required' });
    // An expired challenge, signed by the right key: a new challenge, no rotation.
    const stale = await refreshChallenge(session, at(now, 2));
    const expired = await deviceRefresh(session.tokens.refreshToken, session.sessionId, await client.refreshProof(stale), at(now, DBSC_CHALLENGE_TTL_SECONDS + 3));
    expect(expired).toMatchObject({ ok: false, error: 'proof_required' });
    expect((await sessionRow(session.sessionId))?.refreshGeneration).toBe(1);
  });

  it('DBSC: a refresh proof signed by another key, or for another session, gets nothing', async () => {
    const client = await DeviceClient.create();
    const session = await bound(client);
    const other = await bound(await DeviceClient.create());
    const now = at(T0, 901);
    const challenge = await refreshChallenge(session, now);
    const thief = await DeviceClient.create();
    const forged = await deviceRefresh(session.tokens.refreshToken, session.sessionId, await thief.refreshProof(challenge), now);
    expect(forged).toMatchObject({ ok: false, error: 'wrong_key' });
    // Another session's id with this session's refresh token, and the other way round.
    expect(await deviceRefresh(session.tokens.refreshToken, other.sessionId, null, now)).toMatchObject({ ok: false, error: 'signed_out' });
    const otherChallenge = await refreshChallenge(other, now);
    const crossed = await deviceRefresh(session.tokens.refreshToken, session.sessionId, await client.refreshProof(otherChallenge), now);
    expect(crossed).toMatchObject({ ok: false, error: 'proof_required' });
    expect((await sessionRow(session.sessionId))?.refreshGeneration).toBe(0);
    expect((await sessionRow(other.sessionId))?.refreshGeneration).toBe(0);
  });

  it('DBSC: an unbound session has no DBSC refresh, and its plain refresh works as before', async () => {
    const session = await offered();
    expect(await deviceRefresh(session.tokens.refreshToken, session.sessionId, null, at(T0, 901))).toMatchObject({ ok: false, error: 'signed_out' });
    expect((await plainRotation(session.tokens.refreshToken, at(T0, 901))).ok).toBe(true);
  });

  it("DBSC: a bound session's refresh token alone is refused, whatever its generation, recorded, and the session lives on", async () => {
    const client = await DeviceClient.create();
    const session = await bound(client);
    const plain = await plainRotation(session.tokens.refreshToken, at(T0, 901));
    expect(plain).toEqual({ ok: false, error: 'device_bound', sessionId: session.sessionId });
    expect(await events(session.sessionId, 'refresh_without_device_key')).toBe(1);
    // After a device refresh the old token is a replay: still only refused, never a sign-out by a thief.
    const challenge = await refreshChallenge(session, at(T0, 902));
    expect((await deviceRefresh(session.tokens.refreshToken, session.sessionId, await client.refreshProof(challenge), at(T0, 902))).ok).toBe(true);
    expect(await plainRotation(session.tokens.refreshToken, at(T0, 1000))).toMatchObject({ ok: false, error: 'device_bound' });
    const row = await sessionRow(session.sessionId);
    expect(row?.revokedAt).toBeNull();
    expect(row?.refreshGeneration).toBe(1);
    expect(await events(session.sessionId, 'refresh_without_device_key')).toBe(2);
  });

  it("DBSC: POST /refresh and the proxy's silent refresh refuse a bound session's refresh cookie and record it", async () => {
    const now = new Date();
    const client = await DeviceClient.create();
    const session = await bound(client, now);
    const cookie = `signet_rt=${session.tokens.refreshToken}`;
    const posted = await plainRefresh(new NextRequest('http://signet.test/refresh', { method: 'POST', headers: { cookie } }));
    expect(posted.status).toBe(401);
    const navigated = await proxy(new NextRequest('http://signet.test/settings/security', { headers: { cookie } }));
    expect(navigated.status).toBe(303);
    expect(navigated.headers.get('location')).toContain('/sign-in');
    expect(await events(session.sessionId, 'refresh_without_device_key')).toBe(2);
    expect((await sessionRow(session.sessionId))?.revokedAt).toBeNull();
  });

  it('DBSC: the routes say each answer with its status: a challenge in Secure-Session-Challenge (403), another key (401), the right key (200 and the instructions), a second binding (409)', async () => {
    const client = await DeviceClient.create();
    const session = await bound(client, new Date());
    const post = (path: string, route: (request: NextRequest) => Promise<Response>, headers: Record<string, string>) =>
      route(new NextRequest(`http://signet.test${path}`, { method: 'POST', headers }));
    const refreshWith = (proof?: string) =>
      post('/dbsc/refresh', deviceRefreshRoute, {
        cookie: `signet_rt=${session.tokens.refreshToken}`,
        'sec-secure-session-id': session.sessionId,
        ...(proof ? { 'secure-session-response': proof } : {}),
      });

    const challenged = await refreshWith();
    expect(challenged.status).toBe(403);
    const [, challenge = '', id] = /^"([^"]+)";id="([^"]+)"$/.exec(challenged.headers.get('secure-session-challenge') ?? '') ?? [];
    expect(id).toBe(session.sessionId);
    const thief = await DeviceClient.create();
    expect((await refreshWith(await thief.refreshProof(challenge))).status).toBe(401);
    const refreshed = await refreshWith(await client.refreshProof(challenge));
    expect(refreshed.status).toBe(200);
    expect(await refreshed.json()).toMatchObject({ session_identifier: session.sessionId, refresh_url: '/dbsc/refresh', credentials: [{ type: 'cookie', name: 'signet_at' }] });
    const again = await post('/dbsc/register', registerRoute, { cookie: `signet_at=${session.tokens.accessToken}`, 'secure-session-response': await client.sign(session.challenge) });
    expect(again.status).toBe(409);
  });

  it('W4: the DBSC routes answer missing or malformed headers and cookies with a clear 4xx, never a 500', async () => {
    const session = await bound(await DeviceClient.create(), new Date());
    const variants: Array<Record<string, string>> = [
      {},
      { 'secure-session-response': 'garbage' },
      { 'secure-session-response': 'a.b.c', cookie: 'signet_at=not-a-token' },
      { 'secure-session-response': `${'x'.repeat(9_000)}.y.z`, cookie: `signet_at=${session.tokens.accessToken}` },
      { 'sec-secure-session-id': '__proto__', cookie: `signet_rt=${session.tokens.refreshToken}` },
      { 'sec-secure-session-id': session.sessionId, cookie: `signet_rt=${session.tokens.refreshToken}; signet_rt=${session.tokens.refreshToken}` },
      { 'sec-secure-session-id': session.sessionId, 'secure-session-response': '%%.%%.%%', cookie: `signet_rt=${session.tokens.refreshToken}` },
    ];
    for (const headers of variants) {
      for (const [path, route] of [['/dbsc/register', registerRoute], ['/dbsc/refresh', deviceRefreshRoute]] as const) {
        const answer = await route(new NextRequest(`http://signet.test${path}`, { method: 'POST', headers }));
        expect(answer.status, `${path} ${JSON.stringify(headers).slice(0, 80)}`).toBeGreaterThanOrEqual(400);
        expect(answer.status).toBeLessThan(500);
      }
    }
    expect((await sessionRow(session.sessionId))?.refreshGeneration).toBe(0);
  });
});
