import { notFound } from 'next/navigation';
import { requireActionSession, requireSession } from '@/lib/auth/current-session';
import type { SessionContext } from '@/lib/auth/check';
import { isAdminRole, type AdminRole, type OrgActor } from '@/lib/orgs/access';

export const ORG_PATH = '/settings/org';

export type OrgAdmin = { session: SessionContext; role: AdminRole; actor: OrgActor };

/**
 * The signed-in owner or admin of their session's org, for the org pages. Members (and anyone
 * whose role was just taken away) get the same 404 as a page that does not exist.
 */
export async function requireOrgAdmin(path: string): Promise<OrgAdmin> {
  const session = await requireSession(path);
  if (!isAdminRole(session.role)) notFound();
  return { session, role: session.role, actor: { userId: session.userId, orgId: session.orgId } };
}

/** The same check for server actions, which answer with a result instead of a 404 page. */
export async function orgAdminActor(path: string): Promise<OrgActor | null> {
  const session = await requireActionSession(path);
  return isAdminRole(session.role) ? { userId: session.userId, orgId: session.orgId } : null;
}
