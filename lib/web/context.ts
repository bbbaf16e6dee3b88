import { getEnv } from '../env';
import type { RefreshPolicy } from '../auth/refresh';
import type { SendBudget } from '../rules';
import type { SignInPolicy } from '../auth/sign-in';

/** Lifetimes and windows from configuration, in the shapes the auth services take. */
export function signInPolicy(): SignInPolicy {
  const env = getEnv();
  return {
    accessTtlSeconds: env.ACCESS_TTL_SECONDS,
    persistentLifetimeSeconds: env.REFRESH_TTL_SECONDS,
    browserLifetimeSeconds: env.BROWSER_SESSION_TTL_SECONDS,
  };
}

export function refreshPolicy(): RefreshPolicy {
  const env = getEnv();
  return { accessTtlSeconds: env.ACCESS_TTL_SECONDS, graceSeconds: env.REFRESH_GRACE_SECONDS };
}

/** The deployment's global send budget (C6). */
export function sendBudget(): SendBudget {
  const env = getEnv();
  return { burst: env.CODE_SEND_BURST, perMinute: env.CODE_SENDS_PER_MINUTE };
}
