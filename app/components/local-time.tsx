'use client';

import { useSyncExternalStore } from 'react';

const subscribe = () => () => {};

/**
 * A timestamp in the reader's own time zone. The server renders UTC; the browser then swaps in
 * its local time (the server cannot know the reader's zone).
 */
export function LocalTime({ iso, format = 'time' }: { iso: string; format?: 'time' | 'datetime' | 'date' }) {
  const date = new Date(iso);
  const options: Intl.DateTimeFormatOptions =
    format === 'time' ? { hour: '2-digit', minute: '2-digit' } : format === 'date' ? { dateStyle: 'medium' } : { dateStyle: 'medium', timeStyle: 'short' };
  const text = useSyncExternalStore(
    subscribe,
    () => date.toLocaleString(undefined, options),
    () => `${date.toLocaleString('en-GB', { ...options, timeZone: 'UTC' })} UTC`,
  );
  return (
    <time dateTime={iso} title={date.toISOString()}>
      {text}
    </time>
  );
}
