import fs from 'node:fs';
import path from 'node:path';
import { devices, expect, test } from '@playwright/test';
import { USER_AGENTS } from '../support/flows';
import { PROBE } from './support/http';

/**
 * P1: runs after every other browser and HTTP spec (its project depends on theirs) and scans
 * every database file (with its WAL) and every server log they produced for the User-Agent
 * strings and IP addresses those specs presented. None may be there.
 */
const ROOTS = ['data/e2e', 'data/e2e-security'].map((dir) => path.resolve(dir));

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return /\.(db|db-wal|log)$/.test(entry.name) ? [full] : [];
  });
}

const USER_AGENT_STRINGS = [
  PROBE.userAgent,
  PROBE.browserUserAgent,
  ...Object.values(USER_AGENTS),
  devices['Desktop Chrome'].userAgent,
  'SignetPrivacyProbe',
  'HeadlessChrome',
];
const IP_ADDRESSES = [PROBE.forwardedFor, PROBE.realIp, PROBE.forwarded, PROBE.ipv6];
// The address every test request really came from. Next prints the one it listens on at start-up.
const LOOPBACK = ['127.0.0.1', '::ffff:127.0.0.1'];
const LISTEN_BANNER = /^\s*-\s*(Local|Network):\s+http:\/\/127\.0\.0\.1:\d+\s*$/;
// When Next refuses a cross-site server action it names the server's own host (here the loopback
// address it listens on) beside the foreign Origin: the server's address, never the client's.
const ACTION_REFUSAL = /^`(x-forwarded-host|host)` header with value `127\.0\.0\.1:\d+` does not match `origin` header with value `[^`]*` from a forwarded Server Actions request\. Aborting the action\.$/;
const stripColour = (line: string) => line.replace(/\u001b\[[0-9;]*m/g, '');

test('P1: no IP address and no raw User-Agent string is in any database or server log after the full run', async () => {
  const files = ROOTS.flatMap(filesUnder);
  const databases = files.filter((file) => /\.db(-wal)?$/.test(file));
  const logs = files.filter((file) => file.endsWith('.log'));
  expect(databases.length).toBeGreaterThan(0);
  expect(logs.length).toBeGreaterThan(0);

  // The scan reads what the flows wrote: the browser probe's account is in the shared server's data.
  const shared = databases.filter((file) => path.basename(file).startsWith('default.db')).map((file) => fs.readFileSync(file));
  expect(shared.some((bytes) => bytes.includes('privacy-probe.'))).toBe(true);

  const found: string[] = [];
  for (const file of files) {
    const bytes = fs.readFileSync(file);
    for (const needle of [...USER_AGENT_STRINGS, ...IP_ADDRESSES]) {
      if (bytes.includes(needle) || bytes.includes(Buffer.from(needle, 'utf16le'))) found.push(`${path.relative(process.cwd(), file)}: ${needle}`);
    }
    if (file.endsWith('.log')) {
      const lines = bytes.toString('utf8').split('\n').map(stripColour);
      for (const line of lines) {
        if (LOOPBACK.some((ip) => line.includes(ip)) && !LISTEN_BANNER.test(line) && !ACTION_REFUSAL.test(line.trim())) found.push(`${path.relative(process.cwd(), file)}: ${line.trim()}`);
      }
    } else {
      for (const ip of LOOPBACK) if (bytes.includes(ip)) found.push(`${path.relative(process.cwd(), file)}: ${ip}`);
    }
  }
  expect(found).toEqual([]);
});
