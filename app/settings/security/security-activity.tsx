import { ActivityList } from '@/app/components/activity-list';
import { listUserActivity } from '@/lib/auth/activity';

/** The person's recent security events (sign-ins, sign-outs, admin actions, key retirement). */
export async function SecurityActivity({ userId }: { userId: string }) {
  const entries = await listUserActivity(userId);
  return (
    <section className="card" aria-labelledby="security-activity-heading">
      <h2 id="security-activity-heading">Recent security activity</h2>
      <ActivityList entries={entries} empty="Nothing yet." />
    </section>
  );
}
