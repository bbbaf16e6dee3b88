import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { getConfiguredKeyring, getKeyring, parseKeyring } from '@/lib/crypto/keys';
import { getStore } from '@/lib/store';
import { signIn, uniqueEmail } from '@/test/helpers';
import { sessionRow } from '@/test/org-fixtures';
import { nextKid, runKeysCommand, type KeysDeps } from './keys-command';

/** Runs a command against the test database and keyring (t2 signing, t1 older), capturing output. */
async function run(argv: string[], answer = false) {
  const out: string[] = [];
  const err: string[] = [];
  const questions: string[] = [];
  const deps: KeysDeps = {
    store: getStore,
    keyring: getKeyring,
    configuredKeyring: getConfiguredKeyring,
    now: () => new Date(),
    io: {
      out: (line) => out.push(line),
      err: (line) => err.push(line),
      confirm: async (question) => {
        questions.push(question);
        return answer;
      },
    },
  };
  const code = await runKeysCommand(argv, deps);
  return { code, out: out.join('\n'), err: err.join('\n'), questions };
}

const t1Keyring = () => parseKeyring((process.env.SIGNET_KEYS ?? '').split(',').find((e) => e.startsWith('t1:')) ?? '');

describe('npm run keys', () => {
  it('status lists every version with its live sessions and marks the signing key', async () => {
    await signIn(uniqueEmail('on-t1'), new Date(), { keyring: t1Keyring() });
    await signIn(uniqueEmail('on-t2'), new Date());
    const { code, out } = await run(['status']);
    expect(code).toBe(0);
    expect(out).toMatch(/^t2\s+1\s+signing key$/m);
    expect(out).toMatch(/^t1\s+1$/m);
  });

  it('generate prints one valid entry named after the next version, and refuses a taken name', async () => {
    const generated = await run(['generate']);
    expect(generated.code).toBe(0);
    expect(generated.out).toMatch(/^t3:[A-Za-z0-9_-]{43}$/);
    expect(() => parseKeyring(generated.out)).not.toThrow();
    // The configured secrets are never echoed.
    const t2Secret = (process.env.SIGNET_KEYS ?? '').split(',')[0]?.split(':')[1] ?? 'missing';
    expect(`${generated.out}\n${generated.err}`).not.toContain(t2Secret);
    expect((await run(['generate', 'v9'])).out).toMatch(/^v9:/);
    expect((await run(['generate', 't1'])).code).toBe(1);
    expect((await run(['generate', '../x'])).code).toBe(1);
    expect(nextKid('dev1')).toBe('dev2');
    expect(nextKid('primary')).toBe('primary2');
  });

  it('generate, as the operator runs it without SIGNET_KEYS, prints a first key and writes nothing to disk', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signet-keys-'));
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', DATABASE_PATH: path.join(dir, 'data', 'signet.db') };
    delete env.SIGNET_KEYS;
    delete env.DATABASE_URL;
    try {
      const { stdout } = await promisify(execFile)(path.resolve('node_modules/.bin/tsx'), ['scripts/keys.ts', 'generate'], { env });
      expect(stdout).toMatch(/^v1:[A-Za-z0-9_-]{43}\n$/);
      // No development keyring (or anything else) was left beside the database.
      expect(fs.readdirSync(dir, { recursive: true })).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('retire refuses the signing key', async () => {
    const { code, err } = await run(['retire', 't2', '--yes']);
    expect(code).toBe(1);
    expect(err).toContain('t2 is the signing key');
  });

  it('retire shows the count and changes nothing when the operator says no', async () => {
    const old = await signIn(uniqueEmail('keep'), new Date(), { keyring: t1Keyring() });
    const declined = await run(['retire', 't1'], false);
    expect(declined.code).toBe(1);
    expect(declined.questions).toHaveLength(1);
    expect(declined.out).toMatch(/2 live sessions still on t1\.\nNothing changed\./);
    expect((await sessionRow(old.sessionId)).revokedAt).toBeNull();
  });

  it('retire --yes ends the sessions on that key without asking', async () => {
    const old = await signIn(uniqueEmail('retired'), new Date(), { keyring: t1Keyring() });
    const current = await signIn(uniqueEmail('current'), new Date());
    const retired = await run(['retire', 't1', '--yes']);
    expect(retired.code).toBe(0);
    expect(retired.questions).toEqual([]);
    expect(retired.out).toContain('Ended 3 sessions on t1 (reason: rotation).');
    expect(retired.out).toContain('Now remove t1 from SIGNET_KEYS');
    expect((await sessionRow(old.sessionId)).revokedReason).toBe('rotation');
    expect((await sessionRow(current.sessionId)).revokedAt).toBeNull();
    expect((await run(['status'])).out).toMatch(/^t1\s+0$/m);
  });

  it('unknown commands print the usage', async () => {
    for (const argv of [[], ['rotate'], ['retire'], ['status', 'extra']]) {
      const { code, err } = await run(argv);
      expect(code).toBe(2);
      expect(err).toContain('Usage: npm run keys');
    }
  });
});
