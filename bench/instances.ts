import type { Keyring } from '../lib/crypto/keys';
import { newAgent, send } from './lib/client';
import type { Engine } from './lib/engine';
import { seedUsers, signedInSessions, type SeededUser } from './lib/seed';
import { ACCESS, REFRESH, freePort, startServer } from './lib/server';
import { quantile, round } from './lib/stats';

/**
 * Figure 7: cross-instance revocation. Two production servers, A and B, share one database
 * (PostgreSQL: one database; SQLite: two processes on one file). Each round, B first accepts a
 * session (so whatever B may remember about it is fresh), then A ends it (POST /sign-out), and
 * the moment A has answered, B is asked again. A 200 from B then is a stale acceptance.
 */
export type InstancesFigure = {
  rounds: number;
  stale: number;
  /** Rounds where B refused the session before A ended it, or A failed to end it: the round proves nothing. */
  unusable: number;
  /** From A's answer to B's refusal, in ms. */
  delay: { p50: number; p99: number; max: number };
};

const ROUNDS = Number(process.env.BENCH_INSTANCE_ROUNDS ?? 1_000);

export async function runInstancesBench(engine: Engine, keySpec: string, keyring: Keyring): Promise<InstancesFigure> {
  const now = new Date();
  const db = await engine.fresh('instances');
  const users = await seedUsers(db, 100, 'instances', now);
  const devices = Array.from({ length: ROUNDS }, (_, i) => ({ user: users[i % users.length] as SeededUser, label: `Phone ${i}` }));
  const sessions = await signedInSessions(db, keyring, devices, now);
  const [a, b] = await Promise.all([
    freePort(3660).then((port) => startServer({ port, env: db.env, keys: keySpec, name: 'instance-a' })),
    freePort(3670).then((port) => startServer({ port, env: db.env, keys: keySpec, name: 'instance-b' })),
  ]);
  console.log(`  A at ${a.origin}, B at ${b.origin}, ${ROUNDS} rounds`);
  const agent = newAgent(4);
  try {
    let stale = 0;
    let unusable = 0;
    const delays: number[] = [];
    for (const session of sessions) {
      const cookie = `${ACCESS}=${session.tokens.accessToken}; ${REFRESH}=${session.tokens.refreshToken}`;
      const before = await send(agent, b.origin, '/api/session', { cookie });
      const ended = await send(agent, a.origin, '/sign-out', { method: 'POST', cookie });
      if (before.status !== 200 || ended.status !== 303) {
        unusable += 1;
        continue;
      }
      const after = await send(agent, b.origin, '/api/session', { cookie });
      if (after.status === 200) stale += 1;
      delays.push(after.micros / 1000);
    }
    return {
      rounds: ROUNDS,
      stale,
      unusable,
      delay: { p50: round(quantile(delays, 0.5)), p99: round(quantile(delays, 0.99)), max: round(quantile(delays, 1)) },
    };
  } finally {
    agent.destroy();
    await Promise.all([a.stop(), b.stop()]);
    await db.close();
  }
}
