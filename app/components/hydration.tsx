'use client';

import { useSyncExternalStore } from 'react';
import { SENT_BY_SCRIPT } from './form-fields';

const subscribe = () => () => {};

/**
 * Whether this component runs with JavaScript, hydrated: false on the server and during
 * hydration (so both render alike), true after. Forms render their no-JavaScript shape until then.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}

/** Marks a form as sent by script once the page is hydrated; without it an action redirects back to its page. */
export function SentByScript() {
  return useHydrated() ? <input type="hidden" name={SENT_BY_SCRIPT} value="1" /> : null;
}
