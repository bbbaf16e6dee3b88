import fs from 'node:fs';
import http from 'node:http';
import type { Keyring } from '../lib/crypto/keys';
import { compare, type Comparison, type LoadTarget } from './lib/load';
import { emptyContention, watchContention, type Contention } from './lib/contention';
import type { Engine } from './lib/engine';
import { ACCESS, REFRESH, freePort, startServer, ensureBuild } from './lib/server';
import { seedUsers, signedInSessions, type SeededUser } from './lib/seed';
import { nowMicros, quantile, round } from './lib/stats';

/**
 * Figures 1, 2, 4 and 5, against `next start` on loopback with a database the bench seeds through
 * lib/ (sessions and tokens are minted with the server's own keyring: no email, no browser).
 */
export type SecurityPageFigure = { status: 'skipped' } | { status: 'measured'; renders: number; p50: number; p99: number; bytes: number };
export type HttpFigure = 'json' | 'page' | 'refresh' | 'security';
export const HTTP_FIGURES: readonly HttpFigure[] = ['json', 'page', 'refresh', 'security'];
export type HttpFigures = {
  json?: Comparison;
  jsonHealth?: Comparison;
  page?: Comparison;
  refresh?: Comparison;
  refreshConnections: number;
  /** What waited or failed for a lock during figure 4: SQLITE_BUSY, or PostgreSQL's retries, deadlocks and lock waits. */
  contention: Contention;
  securityPage?: SecurityPageFigure;
};

const PAIRS = Number(process.env.BENCH_PAIRS ?? 10);
const ROUND_SECONDS = Number(process.env.BENCH_ROUND_SECONDS ?? 2);
const CONNECTIONS = 10;
const REFRESH_CONNECTIONS = 50;
const SECURITY_PAGE_SESSIONS = 100;
const SECURITY_PAGE_SECONDS = 8;

export async function runHttpBench(engine: Engine, keySpec: string, keyring: Keyring, figures: ReadonlySet<HttpFigure>): Promise<HttpFigures> {
  const build = await ensureBuild();
  if (build === 'built') console.log('  production build ready');
  const now = new Date();
  const db = await engine.fresh('http');
  const [reader, owner, ...refreshers] = await seedUsers(db, 2 + REFRESH_CONNECTIONS, 'http', now);
  if (!reader || !owner) throw new Error('seeding failed');

  const [browsing] = await signedInSessions(db, keyring, [{ user: reader, label: 'Firefox on Linux' }], now);
  if (!browsing) throw new Error('seeding failed');
  const browsingCookie = `${ACCESS}=${browsing.tokens.accessToken}; ${REFRESH}=${browsing.tokens.refreshToken}`;

  // Every refresh round gets 50 sessions nobody has used, one per connection, so a request cut
  // off at the end of a round can never turn into a replay in the next one.
  const refreshDevices = Array.from({ length: (PAIRS + 1) * REFRESH_CONNECTIONS }, (_, i) => ({
    user: refreshers[i % refreshers.length] as SeededUser,
    label: `Device ${i % REFRESH_CONNECTIONS}`,
  }));
  const refreshSessions = await signedInSessions(db, keyring, refreshDevices, now);
  const refreshBatches: string[][] = [];
  for (let i = 0; i < refreshSessions.length; i += REFRESH_CONNECTIONS) {
    refreshBatches.push(refreshSessions.slice(i, i + REFRESH_CONNECTIONS).map((session) => session.tokens.refreshToken));
  }

  const laptops = Array.from({ length: SECURITY_PAGE_SESSIONS }, (_, i) => ({ user: owner, label: `Laptop ${i}` }));
  const devices = (await signedInSessions(db, keyring, laptops, now)).map(
    (session) => `${ACCESS}=${session.tokens.accessToken}; ${REFRESH}=${session.tokens.refreshToken}`,
  );

  const port = await freePort(Number(process.env.BENCH_PORT ?? 3650));
  const server = await startServer({ port, env: db.env, keys: keySpec });
  console.log(`  server up at ${server.origin}`);
  try {
    const health: LoadTarget = { label: 'GET /api/health', path: '/api/health' };
    const settings = { connections: CONNECTIONS, seconds: ROUND_SECONDS, pairs: PAIRS };
    const result: HttpFigures = { refreshConnections: REFRESH_CONNECTIONS, contention: emptyContention(engine.name) };

    if (figures.has('json')) {
      // The same route with and without its guard: /api/session-unguarded (benchmark builds only)
      // reads the same cookie and answers the same JSON from a constant. Both requests come from
      // the same signed-in browser.
      const signedIn = { cookie: browsingCookie };
      const session: LoadTarget = { label: 'GET /api/session', path: '/api/session', headers: signedIn };
      console.log(`  [1] guarded vs unguarded JSON route: ${CONNECTIONS} connections, ${PAIRS} pairs of ${ROUND_SECONDS} s rounds`);
      result.json = await compare(server, { label: 'GET /api/session-unguarded', path: '/api/session-unguarded', headers: signedIn }, session, settings);
      console.log('  [1, no target] guarded JSON route vs the health route');
      result.jsonHealth = await compare(server, { ...health, label: 'GET /api/health (same cookies)', headers: signedIn }, session, settings);
    }

    if (figures.has('page')) {
      // `/` is the signed-in home (it redirects when signed out) and `/sign-in` the public page (it
      // redirects when signed in): both dynamic renders of one card in the same layout.
      console.log('  [2] signed-in page vs public page');
      const html = { accept: 'text/html' };
      result.page = await compare(
        server,
        { label: 'GET /sign-in (public)', path: '/sign-in', headers: html },
        { label: 'GET / (signed in)', path: '/', headers: { ...html, cookie: browsingCookie } },
        settings,
      );
    }

    if (figures.has('refresh')) {
      console.log(`  [4] POST /refresh, ${REFRESH_CONNECTIONS} connections each rotating its own session`);
      let batchIndex = -1;
      const refresh: LoadTarget = {
        label: 'POST /refresh',
        path: '/refresh',
        method: 'POST',
        headers: { origin: server.origin, 'sec-fetch-site': 'same-origin' },
        beforeRound: () => {
          batchIndex += 1;
        },
        setupClient: (client, index) => {
          const batch = refreshBatches[batchIndex];
          if (!batch) throw new Error('ran out of refresh sessions');
          client.setHeaders({ cookie: `${REFRESH}=${batch[index % batch.length]}` });
          // Carry each rotated refresh cookie into the connection's next request, as a browser would.
          client.on('headers', (head) => {
            const rotated = newRefreshToken(head.headers);
            if (rotated) client.setHeaders({ cookie: `${REFRESH}=${rotated}` });
          });
        },
      };
      const watch = watchContention(db);
      result.refresh = await compare(server, health, refresh, { connections: REFRESH_CONNECTIONS, seconds: ROUND_SECONDS, pairs: PAIRS });
      result.contention = await watch.stop(fs.readFileSync(server.logFile, 'utf8'));
    }

    if (figures.has('security')) {
      console.log('  [5] /settings/security with 100 sessions');
      result.securityPage = await measureSecurityPage(server.origin, devices[0] as string);
    }

    return result;
  } finally {
    await server.stop();
    await db.close();
  }
}

/** The new refresh token in a response's Set-Cookie headers, if it carried one. */
function newRefreshToken(rawHeaders: string[]): string | null {
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]?.toLowerCase() !== 'set-cookie') continue;
    const value = rawHeaders[i + 1] ?? '';
    if (value.startsWith(`${REFRESH}=`)) {
      const token = value.slice(REFRESH.length + 1, value.indexOf(';') === -1 ? undefined : value.indexOf(';'));
      return token || null;
    }
  }
  return null;
}

/**
 * Figure 5: sequential renders over one keep-alive connection, so each time is the server's
 * render plus a loopback round trip, with no queueing. Skipped while the page does not exist.
 */
async function measureSecurityPage(origin: string, cookie: string): Promise<SecurityPageFigure> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = () => timedGet(agent, `${origin}/settings/security`, cookie);
  const probe = await get();
  if (probe.status === 404) {
    agent.destroy();
    return { status: 'skipped' };
  }
  if (probe.status !== 200) throw new Error(`/settings/security answered ${probe.status}`);
  for (let i = 0; i < 20; i += 1) await get(); // warm-up
  const times: number[] = [];
  const deadline = Date.now() + SECURITY_PAGE_SECONDS * 1000;
  let bytes = 0;
  while (Date.now() < deadline) {
    const result = await get();
    if (result.status !== 200) throw new Error(`/settings/security answered ${result.status}`);
    times.push(result.micros / 1000);
    bytes = result.bytes;
  }
  agent.destroy();
  return { status: 'measured', renders: times.length, p50: round(quantile(times, 0.5)), p99: round(quantile(times, 0.99)), bytes };
}

function timedGet(agent: http.Agent, url: string, cookie: string): Promise<{ status: number; micros: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const start = nowMicros();
    const request = http.get(url, { agent, headers: { cookie, accept: 'text/html' } }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, micros: nowMicros() - start, bytes }));
    });
    request.on('error', reject);
  });
}
