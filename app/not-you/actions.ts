'use server';

import { endReportedSession, findReportedSession } from '@/lib/auth/alert-link';
import { appContext } from '@/lib/web/context';
import { requireSameSiteAction } from '@/lib/web/session';
import { log } from '@/lib/log';

export type ReportResult = { ok: true; label: string | null } | { ok: false; error: 'gone' | 'unavailable' };

/**
 * The one button of the "Not you?" page: ends the session the alert email's token was made for
 * (reason `reported`), without signing in. The token is the proof, good once; a dead, used or
 * malformed token ends nothing and says so. Opening the page (GET) never gets here.
 */
export async function reportSessionAction(_previous: ReportResult | null, form: FormData): Promise<ReportResult> {
  await requireSameSiteAction();
  const token = form.get('token');
  try {
    const context = await appContext();
    const session = await findReportedSession(context, token);
    const ended = session ? await endReportedSession(context, token) : false;
    log.info('alert_link_used', { ended });
    return ended ? { ok: true, label: session?.label ?? null } : { ok: false, error: 'gone' };
  } catch (error) {
    log.error('alert_link_failed', { error: error instanceof Error ? error.message : 'unknown' });
    return { ok: false, error: 'unavailable' };
  }
}
