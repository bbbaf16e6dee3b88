/**
 * npm run sessions:prune — deletes sessions that ended (revoked or expired) more than
 * SESSION_RETENTION_DAYS ago (default 90), sign-in challenges dead for over a day, security
 * events older than the retention, and org invitations closed before it (lapsed ones are first
 * marked expired, with their events). Safe to run while the app serves (small batches); run it daily.
 */
import { getEnv } from '../lib/env';
import { openStore } from '../lib/store';

async function main(): Promise<void> {
  const env = getEnv();
  // An operator command never invents an empty database: the file must already exist.
  const store = await openStore(env, { mustExist: true });
  try {
    const counts = await store.prune({ now: new Date(), retentionDays: env.SESSION_RETENTION_DAYS });
    console.log(`Removed ${counts.sessions} sessions, ${counts.challenges} sign-in challenges, ${counts.events} security events, ${counts.invitations} closed invitations`);
    console.log(`(retention: ${env.SESSION_RETENTION_DAYS} days for sessions and events, 1 day for challenges)`);
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  console.error(`sessions:prune: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
