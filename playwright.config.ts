import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { SECURITY_PORTS } from './e2e/security/support/server';
import { dbscChromiumArgs, makeLocalhostCertificate, readCertificate } from './e2e/security/support/tls';

/**
 * Browser tests run against production builds (`next build` first, see `npm run test:e2e`):
 *   default   — http://127.0.0.1:3201, the real 15-minute access lifetime; the HTTP attack specs
 *               that need no server of their own share it too (sharedServer in e2e/security/support)
 *   short-ttl — http://127.0.0.1:3202, 3-second access tokens, to watch silent refresh happen
 *   dev       — http://localhost:3203, `next dev` with the dev mailbox, as a developer runs it
 * (ports move with SIGNET_E2E_PORT_BASE).
 * Both send mail over real SMTP to the loopback sink in e2e/support/mail-sink.ts.
 */
// SIGNET_E2E_PORT_BASE lets two checkouts run their browser tests side by side.
const base = Number(process.env.SIGNET_E2E_PORT_BASE ?? 3200);
export const PORTS = { default: base + 1, shortTtl: base + 2, dev: base + 3, smtp: base + 25, mailHttp: base + 80 } as const;
process.env.SIGNET_E2E_MAIL_API = `http://127.0.0.1:${PORTS.mailHttp}/messages`;

// One keyring per run; workers inherit it through the environment.
process.env.SIGNET_E2E_KEYS ??= `e2e1:${randomBytes(32).toString('base64url')}`;

// DBSC needs https with a certificate Chromium treats as valid: a new one per run, made by the
// runner's process before any worker starts; the workers read the same files.
if (!process.env.SIGNET_E2E_DBSC_TLS_DIR) {
  process.env.SIGNET_E2E_DBSC_TLS_DIR = path.resolve('data/e2e-security/dbsc-tls');
  makeLocalhostCertificate(process.env.SIGNET_E2E_DBSC_TLS_DIR);
}
export const DBSC_ORIGIN = `https://localhost:${SECURITY_PORTS.dbscTls}`;
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'];
  return candidates.find((file): file is string => !!file && fs.existsSync(file)); // else Playwright's own
}

function server(name: string, port: number, extraEnv: Record<string, string> = {}) {
  return {
    command: `npx tsx e2e/support/serve.ts ${name} ${port}`,
    url: `http://127.0.0.1:${port}/sign-in`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'ignore' as const,
    env: {
      SIGNET_KEYS: process.env.SIGNET_E2E_KEYS ?? '',
      SIGNET_ORIGIN: `http://127.0.0.1:${port}`,
      SMTP_URL: `smtp://127.0.0.1:${PORTS.smtp}`,
      MAIL_FROM: 'Signet <no-reply@signet.test>',
      // The specs sign in hundreds of times a minute; the global send budget (C6) has its own spec.
      CODE_SEND_BURST: '1000000',
      CODE_SENDS_PER_MINUTE: '1000000',
      ...extraEnv,
    },
  };
}

export default defineConfig({
  testDir: './e2e',
  fullyParallel: false,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    ...devices['Desktop Chrome'],
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromiumPath(),
      args: CHROMIUM_ARGS,
    },
  },
  // Spec files are handed to the two workers in this order, each file whole. The longest one (L9's
  // 200 rounds on its PostgreSQL pair) goes first, so that the many short files fill in beside it
  // instead of one worker running it alone at the end. The dev server's specs stay last: asked for
  // pages right after it started (with its cache from an earlier run), `next dev` has panicked.
  projects: [
    { name: 'postgres', testMatch: /instances\.spec\.ts/ },
    {
      name: 'default',
      testIgnore: [/instances\.spec\.ts/, /short-ttl\.spec\.ts/, /privacy-scan\.spec\.ts/, /\.dev\.spec\.ts/, /dbsc\.spec\.ts/],
      use: { baseURL: `http://127.0.0.1:${PORTS.default}` },
    },
    // Device-bound sessions: Chromium with DBSC turned on (software keys) and the run's certificate
    // trusted, after Playwright's own flags (the last --enable-features wins). Its server is the
    // spec's own, behind https://localhost, with short access tokens.
    {
      name: 'dbsc',
      testMatch: /dbsc\.spec\.ts/,
      use: {
        baseURL: DBSC_ORIGIN,
        launchOptions: { executablePath: chromiumPath(), args: [...CHROMIUM_ARGS, ...dbscChromiumArgs(readCertificate(process.env.SIGNET_E2E_DBSC_TLS_DIR))] },
      },
    },
    { name: 'short-ttl', testMatch: /short-ttl\.spec\.ts/, use: { baseURL: `http://127.0.0.1:${PORTS.shortTtl}` } },
    { name: 'dev', testMatch: /\.dev\.spec\.ts/, use: { baseURL: `http://localhost:${PORTS.dev}` } },
    // P1 scans the databases and logs the others wrote, so it runs after all of them.
    { name: 'privacy', testMatch: /privacy-scan\.spec\.ts/, dependencies: ['postgres', 'default', 'dbsc', 'short-ttl', 'dev'] },
  ],
  webServer: [
    {
      command: 'npx tsx e2e/support/mail-sink.ts',
      url: `http://127.0.0.1:${PORTS.mailHttp}/`,
      reuseExistingServer: false,
      env: { MAIL_SINK_SMTP_PORT: String(PORTS.smtp), MAIL_SINK_HTTP_PORT: String(PORTS.mailHttp) },
    },
    server('default', PORTS.default),
    server('short-ttl', PORTS.shortTtl, { ACCESS_TTL_SECONDS: '3', REFRESH_GRACE_SECONDS: '10' }),
    // No SMTP_URL and no SIGNET_ORIGIN: a fresh clone's `npm run dev`, mail going to the dev mailbox.
    { ...server('dev', PORTS.dev), timeout: 180_000, env: { SIGNET_KEYS: process.env.SIGNET_E2E_KEYS ?? '' } },
  ],
});
