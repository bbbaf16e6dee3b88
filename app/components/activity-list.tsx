import type { ActivityEntry } from '@/lib/auth/activity';
import { LocalTime } from './local-time';

/** Security events as sentences, newest first. */
export function ActivityList({ entries, empty }: { entries: ActivityEntry[]; empty: string }) {
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
