import type { RenameResult, SignOutOthersResult, SignOutResult } from './actions';

type ActionError = Extract<RenameResult | SignOutResult | SignOutOthersResult, { ok: false }>['error'];

/** What the page says when an action could not be done. */
export const ERROR_TEXT: Record<ActionError, string> = {
  invalid_label: 'A device name has 1 to 64 characters.',
  invalid_request: 'That request was not valid. Reload the page and try again.',
  unavailable: 'Signet could not save that just now. Nothing was changed; please try again.',
};

export type Status = { kind: 'success' | 'error'; text: string };

export function devicesSignedOut(count: number): string {
  if (count === 0) return 'No other devices were signed in.';
  return `${count} ${count === 1 ? 'device' : 'devices'} signed out`;
}
