import { ActivityList } from '@/app/components/activity-list';

/** The person's recent security events (sign-ins, sign-outs, admin actions, key retirement). */
export async function SecurityActivity({ userId }: { userId: string }) {
  return (
    <section className="card" aria-labelledby="security-activity-heading">
      <h2 id="security-activity-heading">Recent security activity</h2>
      <ActivityList of={{ userId }} empty="Nothing yet." />
    </section>
  );
}
