import type { Context, Policy } from '../auth/context';
import { getKeyring } from '../crypto/keys';
import { getEnv } from '../env';
import { getMailer } from '../mail';
import { getStore } from '../store';

/** The policy configuration asks for (lib/env.ts validates each value). */
export function configuredPolicy(): Policy {
  const env = getEnv();
  return {
    accessTtlSeconds: env.ACCESS_TTL_SECONDS,
    persistentLifetimeSeconds: env.REFRESH_TTL_SECONDS,
    browserLifetimeSeconds: env.BROWSER_SESSION_TTL_SECONDS,
    graceSeconds: env.REFRESH_GRACE_SECONDS,
    lastSeenIntervalSeconds: env.LAST_SEEN_INTERVAL_SECONDS,
    sendBudget: { burst: env.CODE_SEND_BURST, perMinute: env.CODE_SENDS_PER_MINUTE },
    invitationTtlSeconds: env.INVITATION_TTL_SECONDS,
  };
}

/**
 * The use cases' context for one request: the process's one store, its keyring, its
 * configuration, its mailer, and the request's instant, so that everything the request does and
 * answers (a session's times, its cookies' Max-Age) agrees on one "now". Every edge (proxy, route
 * handler, page, action) starts here.
 */
export async function appContext(): Promise<Context> {
  const at = new Date();
  return { store: await getStore(), keyring: getKeyring(), policy: configuredPolicy(), mailer: getMailer(), now: () => at };
}
