import type { Policy } from '../lib/auth/context';

/**
 * The lifetimes the tests reason about (the deployment's defaults), and a global send budget no
 * test reaches (C6 has its own). Shared by Vitest (helpers.ts) and the browser specs' seeding.
 */
export const POLICY: Policy = {
  accessTtlSeconds: 900,
  persistentLifetimeSeconds: 30 * 86_400,
  browserLifetimeSeconds: 12 * 3600,
  graceSeconds: 10,
  lastSeenIntervalSeconds: 300,
  sendBudget: { burst: 1_000_000, perMinute: 1_000_000 },
  invitationTtlSeconds: 7 * 86_400,
};
