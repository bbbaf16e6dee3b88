import type { Metadata } from 'next';
import { findReportedSession } from '@/lib/auth/alert-link';
import type { AlertSession } from '@/lib/store/types';
import { appContext } from '@/lib/web/context';
import { ReportSession } from './report-session';

// No page-level referrer policy: `no-referrer` would make the button's form post send `Origin:
// null`, which the server rightly refuses as cross-site. The site's same-origin policy keeps the
// token from leaving in a Referer anyway, and the page links nowhere else.
export const metadata: Metadata = { title: 'Not you?' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * Where the new-device email's "Not you?" link lands (L11). Opening it only reads: mail scanners
 * follow links, so the page shows what signed in and one button, and only that button's POST
 * ends the session. Nobody needs to be signed in; the token in the link is the proof. It travels
 * in the query (`?token=`): a malformed query is read as text, where a malformed path segment
 * would be the framework's bare 500.
 */
export default async function NotYouPage({ searchParams }: Props) {
  const query = await searchParams;
  const token = typeof query.token === 'string' ? query.token : '';
  let session: AlertSession | null | 'unavailable';
  try {
    session = await findReportedSession(await appContext(), token);
  } catch {
    session = 'unavailable';
  }
  return <ReportSession token={token} session={session} />;
}
