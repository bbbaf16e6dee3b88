import type { Metadata } from 'next';
import { requireSession } from '@/lib/auth/current-session';
import { SecurityActivity } from './security-activity';

export const metadata: Metadata = { title: 'Devices and security' };

/** Placeholder for the security page (issue 3): only the activity list lives here for now. */
export default async function SecurityPage() {
  const session = await requireSession('/settings/security');
  return (
    <>
      <h1>Devices and security</h1>
      <SecurityActivity userId={session.userId} />
    </>
  );
}
