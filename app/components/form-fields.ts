/**
 * Fields the confirmable forms add, read by their server actions. Plain (no 'use client'), so
 * server actions can import it.
 */

/** Present once the page is hydrated: the action may answer in place instead of redirecting back. */
export const SENT_BY_SCRIPT = 'sentByScript';
/** Present on the "Yes" button's form of a confirmation step. */
export const CONFIRMED = 'confirmed';

export function sentByScript(form: FormData): boolean {
  return form.get(SENT_BY_SCRIPT) === '1';
}

/** Whether the person answered the confirmation step: actions that end someone's access require it. */
export function isConfirmed(form: FormData): boolean {
  return form.get(CONFIRMED) === 'yes';
}
