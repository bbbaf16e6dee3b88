import { log } from '../log';
import type { OrgError } from '../store/types';

/**
 * What an org operation can answer besides its own errors: input that did not parse, and a
 * store that could not be reached. The words for each live with the pages (app/).
 */
export type OrgActionError = OrgError | 'invalid' | 'unavailable' | 'mail_failed';
export type OrgActionResult = { ok: true } | { ok: false; error: OrgActionError };

/**
 * Runs an org operation for a server action: its own result, or a database failure reported as
 * such and never mistaken for success (R3).
 */
export async function runOrgOperation<T extends { ok: boolean }>(name: string, operation: () => Promise<T>): Promise<T | { ok: false; error: 'unavailable' }> {
  try {
    return await operation();
  } catch (error) {
    log.error('org_action_failed', { action: name, error: error instanceof Error ? error.message : 'unknown' });
    return { ok: false, error: 'unavailable' };
  }
}
