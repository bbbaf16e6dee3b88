import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { Context } from '../lib/auth/context';
import { offerDeviceBinding, refreshWithDeviceKey, registerDeviceKey } from '../lib/auth/device-binding';
import type { IssuedTokens } from '../lib/auth/issue';
import { rotateRefreshToken } from '../lib/auth/refresh';
import type { Keyring } from '../lib/crypto/keys';
import { iso } from '../lib/ids';
import { devMailbox } from '../lib/mail/dev-mailbox';
import { configuredPolicy } from '../lib/web/context';
import type { BenchDb, Engine } from './lib/engine';
import { LAST_SEEN_INTERVAL_SECONDS, seedUsers, signedInSessions, type SeededUser } from './lib/seed';
import { median, nowMicros, quantile, round } from './lib/stats';

/**
 * Figure 10: what device-bound sessions (DBSC) cost, in process, on the engine's real Store.
 *  - a plain refresh of an unbound session (rotateRefreshToken, as POST /refresh and the proxy
 *    run it): the only DBSC change on that path is one more predicate on the row the rotation
 *    already updates, and the per-request check (figures 1–3) runs exactly the statements it did;
 *  - one DBSC refresh of a bound session, both of its rounds as the server sees them: the
 *    challenge (403) and the signed proof (jose ES256 verify with the stored key, the challenge
 *    consumed, the same rotation). The browser's signing happens between them, untimed;
 *  - the registration offer a sign-in on https adds (one challenge row).
 * And, for the unbound path, the rotation's fast-path UPDATE with the DBSC predicate ÷ the same
 * statement without it (as it was before DBSC), run as plain statements on one connection.
 * Sides alternate round by round; times are µs per refresh (or per statement).
 */
export type Timing = { p50: number; p99: number };
export type DbscFigure = { plain: Timing; dbsc: Timing; ratio: number; offer: Timing; refreshes: number; predicate: { with: Timing; without: Timing; ratio: number } };

const SESSIONS = 500;
const ROUNDS = 10;

type Device = { sessionId: string; tokens: IssuedTokens };

const timing = (values: number[]): Timing => ({ p50: round(quantile(values, 0.5), 1), p99: round(quantile(values, 0.99), 1) });

export async function runDbscBench(engine: Engine, keyring: Keyring): Promise<DbscFigure> {
  const db = await engine.fresh('dbsc');
  const store = await db.openStore();
  const policy = { ...configuredPolicy(), accessTtlSeconds: 900, graceSeconds: 10, lastSeenIntervalSeconds: LAST_SEEN_INTERVAL_SECONDS };
  // The wall clock on every call, as the server runs it.
  const context: Context = { store, keyring, policy, mailer: devMailbox, now: () => new Date() };
  try {
    const start = new Date();
    const users = await seedUsers(db, 50, 'dbsc', start);
    const devices = (count: number) => signedInSessions(db, keyring, Array.from({ length: count }, (_, i) => ({ user: users[i % users.length] as SeededUser, label: 'Chrome on Windows' })), start);
    const unbound: Device[] = await devices(SESSIONS);
    const bound: Device[] = await devices(SESSIONS);
    // One key pair stands for every browser: what is measured is the server's side.
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = await exportJWK(publicKey);
    const sign = (challenge: string, embed: boolean) =>
      new SignJWT({ jti: challenge }).setProtectedHeader({ alg: 'ES256', typ: 'dbsc+jwt', ...(embed ? { jwk } : {}) }).sign(privateKey);

    const offers: number[] = [];
    for (const device of bound) {
      const before = nowMicros();
      const challenge = (await offerDeviceBinding(context, device.sessionId)) ?? '';
      offers.push(nowMicros() - before);
      const registered = await registerDeviceKey(context, device.tokens.accessToken, await sign(challenge, true));
      if (!registered.ok) throw new Error(`registration failed: ${registered.error}`);
    }

    const plainRefresh = async (device: Device): Promise<number> => {
      const before = nowMicros();
      const result = await rotateRefreshToken(context, device.tokens.refreshToken);
      const elapsed = nowMicros() - before;
      if (!result.ok) throw new Error(`plain refresh failed: ${result.error}`);
      device.tokens = result.tokens;
      return elapsed;
    };
    const deviceRefresh = async (device: Device): Promise<number> => {
      let before = nowMicros();
      const asked = await refreshWithDeviceKey(context, device.tokens.refreshToken, device.sessionId, null);
      let elapsed = nowMicros() - before;
      if (asked.ok || asked.error !== 'proof_required') throw new Error('DBSC refresh was not challenged');
      const proof = await sign(asked.challenge, false); // the browser's part
      before = nowMicros();
      const result = await refreshWithDeviceKey(context, device.tokens.refreshToken, device.sessionId, proof);
      elapsed += nowMicros() - before;
      if (!result.ok) throw new Error(`DBSC refresh failed: ${result.error}`);
      device.tokens = result.tokens;
      return elapsed;
    };

    const timeAll = async (side: Device[], refresh: (device: Device) => Promise<number>): Promise<number[]> => {
      const times: number[] = [];
      for (const device of side) times.push(await refresh(device));
      return times;
    };
    const plain: number[] = [];
    const dbsc: number[] = [];
    const ratios: number[] = [];
    for (let r = -1; r < ROUNDS; r += 1) {
      // Round -1 warms up and is not kept; the order alternates so neither side always goes first.
      let plainTimes: number[];
      let dbscTimes: number[];
      if (r % 2 === 0) {
        plainTimes = await timeAll(unbound, plainRefresh);
        dbscTimes = await timeAll(bound, deviceRefresh);
      } else {
        dbscTimes = await timeAll(bound, deviceRefresh);
        plainTimes = await timeAll(unbound, plainRefresh);
      }
      if (r < 0) continue;
      plain.push(...plainTimes);
      dbsc.push(...dbscTimes);
      ratios.push(median(dbscTimes) / median(plainTimes));
    }
    const predicate = await predicateCost(db, keyring, users);
    return { plain: timing(plain), dbsc: timing(dbsc), ratio: round(median(ratios), 2), offer: timing(offers), refreshes: plain.length + dbsc.length, predicate };
  } finally {
    await store.close();
    await db.close();
  }
}

// The rotation's fast path (lib/store/*/refresh.ts) before DBSC, and with the one predicate DBSC adds.
const ROTATE_BEFORE = `UPDATE sessions SET refresh_generation = refresh_generation + 1, refresh_rotated_at = ?, last_seen_at = ?
  WHERE id = ? AND user_id = ? AND refresh_generation = ? AND revoked_at IS NULL AND refresh_expires_at > ?`;
const ROTATE_WITH_DBSC = `${ROTATE_BEFORE} AND (dbsc_public_key IS NULL OR ? = 1)`;

const PROBE_LABEL = 'Predicate probe';

/** Unbound sessions rotated by the statement with the predicate and without it, alternating. */
async function predicateCost(db: BenchDb, keyring: Keyring, users: SeededUser[]): Promise<DbscFigure['predicate']> {
  const now = new Date();
  const side = async () => {
    const signedIn = await signedInSessions(db, keyring, Array.from({ length: SESSIONS }, (_, i) => ({ user: users[i % users.length] as SeededUser, label: PROBE_LABEL })), now);
    return signedIn.map((device, i) => ({ id: device.sessionId, userId: (users[i % users.length] as SeededUser).userId, generation: 0 }));
  };
  const before = await side();
  const after = await side();
  const rotateAll = async (rows: Array<{ id: string; userId: string; generation: number }>, withPredicate: boolean): Promise<number[]> => {
    const times: number[] = [];
    for (const row of rows) {
      const at = iso(new Date());
      const params = [at, at, row.id, row.userId, row.generation, at, ...(withPredicate ? [0] : [])];
      const start = nowMicros();
      await db.query(withPredicate ? ROTATE_WITH_DBSC : ROTATE_BEFORE, params);
      times.push(nowMicros() - start);
      row.generation += 1;
    }
    return times;
  };
  const withTimes: number[] = [];
  const withoutTimes: number[] = [];
  const ratios: number[] = [];
  for (let r = -1; r < ROUNDS; r += 1) {
    const a = r % 2 === 0 ? await rotateAll(after, true) : [];
    const b = await rotateAll(before, false);
    const c = r % 2 === 0 ? a : await rotateAll(after, true);
    if (r < 0) continue;
    withTimes.push(...c);
    withoutTimes.push(...b);
    ratios.push(median(c) / median(b));
  }
  const generations = await db.query<{ n: number }>('SELECT count(*) AS n FROM sessions WHERE refresh_generation = ? AND device_label = ?', [ROUNDS + 1, PROBE_LABEL]);
  if (Number(generations[0]?.n) !== 2 * SESSIONS) throw new Error('a rotation statement did not rotate');
  return { with: timing(withTimes), without: timing(withoutTimes), ratio: round(median(ratios), 3) };
}
