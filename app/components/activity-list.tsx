import { activityInWords } from '@/lib/text/activity';
import { appContext } from '@/lib/web/context';
import { LocalTime } from './local-time';

const SHOWN = 20;

/**
 * Recent security events as sentences, newest first: a person's own (`{ userId }`, addressed to
 * them) or their org's (`{ orgId }`, naming the people involved, for its admins).
 */
export async function ActivityList({ of, empty }: { of: { userId: string } | { orgId: string }; empty: string }) {
  const rows = await (await appContext()).store.listActivity(of, SHOWN);
  const entries = activityInWords(rows, 'userId' in of ? 'user' : 'org');
  if (entries.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="plain activity">
      {entries.map((entry) => (
        <li key={entry.id}>
          {entry.text} <span className="muted">· <LocalTime iso={entry.at} format="datetime" /></span>
        </li>
      ))}
    </ul>
  );
}
