import { describe, expect, it } from 'vitest';
import { startChallenge } from '@/lib/auth/sign-in';
import { getEnv, resetEnvForTests } from '@/lib/env';
import { configuredPolicy } from '@/lib/web/context';
import { at, contextAt, POLICY, signIn, uniqueEmail } from '@/test/helpers';
import { selectRows } from '@/test/inspect';

/**
 * C6 on a real database, the code flow as /sign-in/send runs it: one client asking for codes to
 * many addresses gets a few, then nothing for anyone (no code, no challenge row), known or unknown
 * address alike, until the budget refills. Its own file: the budget is one row per database.
 */
const T0 = new Date('2034-01-10T09:00:00.000Z');

describe('C6 the global send budget', () => {
  it('C6: the budget comes from CODE_SEND_BURST and CODE_SENDS_PER_MINUTE, with defaults for a small deployment', () => {
    const saved = { ...process.env };
    try {
      delete process.env.CODE_SEND_BURST;
      delete process.env.CODE_SENDS_PER_MINUTE;
      resetEnvForTests();
      expect(configuredPolicy().sendBudget).toEqual({ burst: 30, perMinute: 10 });
      Object.assign(process.env, { CODE_SEND_BURST: '7', CODE_SENDS_PER_MINUTE: '3' });
      resetEnvForTests();
      expect(configuredPolicy().sendBudget).toEqual({ burst: 7, perMinute: 3 });
      process.env.CODE_SEND_BURST = '0';
      resetEnvForTests();
      expect(() => getEnv()).toThrow(/CODE_SEND_BURST/);
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
      resetEnvForTests();
    }
  });

  it('C6: past the budget no address gets a code or a challenge, known or not, until a minute has refilled it', async () => {
    const known = uniqueEmail('c6-known');
    await signIn(known, at(T0, -3600));
    const budget = { burst: 4, perMinute: 2 };
    const send = async (email: string, now: Date) => startChallenge(await contextAt(now, { policy: { ...POLICY, sendBudget: budget } }), email);
    const first = [];
    for (let i = 0; i < 4; i += 1) first.push(await send(uniqueEmail(`c6-burst-${i}`), T0));
    expect(first.map((started) => started.outcome)).toEqual(['sent', 'sent', 'sent', 'sent']);
    expect(first.every((started) => /^[0-9]{6}$/.test(started.code ?? ''))).toBe(true);

    const refusedEmails = [known, uniqueEmail('c6-unknown')];
    for (const email of refusedEmails) {
      const refused = await send(email, at(T0, 1));
      expect(refused).toMatchObject({ outcome: 'budget_spent', code: null });
      expect(await selectRows('SELECT id FROM sign_in_challenges WHERE email = $1 AND created_at > $2', [email, T0.toISOString()])).toEqual([]);
    }
    // Half a minute refills one send (2 a minute).
    expect((await send(known, at(T0, 31))).outcome).toBe('sent');
  });
});
