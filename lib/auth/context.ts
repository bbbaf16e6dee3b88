import type { Keyring } from '../crypto/keys';
import type { Mailer } from '../mail/types';
import type { LifetimePolicy, SendBudget } from '../rules';
import type { Store } from '../store/types';

/** Lifetimes, windows and budgets as this deployment configures them. */
export type Policy = LifetimePolicy & {
  /** How long the refresh token just rotated away still answers (two tabs refreshing at once). */
  graceSeconds: number;
  /** Last-seen is written at most once per this many seconds. */
  lastSeenIntervalSeconds: number;
  /** The global send budget for sign-in codes (C6). */
  sendBudget: SendBudget;
  invitationTtlSeconds: number;
};

/**
 * What every use case in lib/auth and lib/orgs runs on: the store, the signing keys, the policy,
 * the mailer and a clock. The web edge builds it (lib/web/context.ts), tests build their own with
 * a store and a clock of their choosing. A use case takes it first and reaches for nothing global.
 */
export type Context = {
  store: Store;
  keyring: Keyring;
  policy: Policy;
  mailer: Mailer;
  now: () => Date;
};
