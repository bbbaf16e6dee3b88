'use client';

import { useSyncExternalStore } from 'react';

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const words = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "just now", "3 minutes ago", "yesterday", "2 weeks ago": how long before `now` a moment was. */
export function timeAgo(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 45) return 'just now';
  if (seconds < HOUR) return words.format(-Math.max(1, Math.round(seconds / MINUTE)), 'minute');
  if (seconds < DAY) return words.format(-Math.round(seconds / HOUR), 'hour');
  if (seconds < 7 * DAY) return words.format(-Math.round(seconds / DAY), 'day');
  if (seconds < 30 * DAY) return words.format(-Math.round(seconds / (7 * DAY)), 'week');
  return words.format(-Math.round(seconds / (30 * DAY)), 'month');
}

// Re-reads the clock every half minute, so an open page keeps "3 minutes ago" honest.
function subscribeToClock(onChange: () => void): () => void {
  const timer = setInterval(onChange, 30_000);
  return () => clearInterval(timer);
}
const subscribeToNothing = () => () => {};

/**
 * A relative time with the exact time in the reader's zone on hover. The server and the hydrating
 * browser both measure from `renderedAt` (so their text agrees); the browser then uses its clock.
 */
export function RelativeTime({ iso, renderedAt }: { iso: string; renderedAt: string }) {
  const text = useSyncExternalStore(
    subscribeToClock,
    () => timeAgo(iso, Date.now()),
    () => timeAgo(iso, Date.parse(renderedAt)),
  );
  const exact = useSyncExternalStore(
    subscribeToNothing,
    () => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }),
    () => `${new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })} UTC`,
  );
  return (
    <time dateTime={iso} title={exact}>
      {text}
    </time>
  );
}
