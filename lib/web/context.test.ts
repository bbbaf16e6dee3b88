import { afterEach, describe, expect, it } from 'vitest';
import { resetEnvForTests } from '../env';
import { configuredPolicy } from './context';

const VARIABLES = {
  ACCESS_TTL_SECONDS: '60',
  REFRESH_TTL_SECONDS: '86400',
  BROWSER_SESSION_TTL_SECONDS: '3600',
  REFRESH_GRACE_SECONDS: '20',
  LAST_SEEN_INTERVAL_SECONDS: '30',
  CODE_SEND_BURST: '7',
  CODE_SENDS_PER_MINUTE: '3',
  INVITATION_TTL_SECONDS: '7200',
};

const before = { ...process.env };
afterEach(() => {
  for (const name of Object.keys(VARIABLES)) {
    if (before[name] === undefined) delete process.env[name];
    else process.env[name] = before[name];
  }
  resetEnvForTests();
});

describe('configuredPolicy', () => {
  it('reads every lifetime, window and budget from its environment variable', () => {
    Object.assign(process.env, VARIABLES);
    resetEnvForTests();
    expect(configuredPolicy()).toEqual({
      accessTtlSeconds: 60,
      persistentLifetimeSeconds: 86_400,
      browserLifetimeSeconds: 3600,
      graceSeconds: 20,
      lastSeenIntervalSeconds: 30,
      sendBudget: { burst: 7, perMinute: 3 },
      invitationTtlSeconds: 7200,
    });
  });
});
