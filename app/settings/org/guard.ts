import { notFound, redirect } from 'next/navigation';
import { withParam } from '@/app/components/search-params';
import type { SessionContext } from '@/lib/auth/check';
import type { Context } from '@/lib/auth/context';
import { isAdminRole, type AdminRole, type OrgActor } from '@/lib/orgs/access';
import { unlessUnavailable, type ActionResult } from '@/lib/web/action-result';
import { appContext } from '@/lib/web/context';
import { requireActionSession, requireSession } from '@/lib/web/session';

export const ORG_PATH = '/settings/org';

export type OrgAdmin = { session: SessionContext; role: AdminRole; actor: OrgActor };

/**
 * The signed-in owner or admin of their session's org, for the member pages. Members (and anyone
 * whose role was just taken away) get the same 404 as a page that does not exist: they never see
 * another member's devices.
 */
export async function requireOrgAdmin(path: string): Promise<OrgAdmin> {
  const session = await requireSession(path);
  if (!isAdminRole(session.role)) notFound();
  return { session, role: session.role, actor: { userId: session.userId, orgId: session.orgId } };
}

/** The same check for server actions: the actor, or null (answered like an unknown id). */
export async function orgAdminActor(path: string): Promise<OrgActor | null> {
  const session = await requireActionSession(path);
  return isAdminRole(session.role) ? { userId: session.userId, orgId: session.orgId } : null;
}

/**
 * Every org action ends here (post/redirect/get): success goes to `done.path` with `?done=`,
 * failure back to `errorPath` with `?error=`, so the page that follows says what happened, with
 * or without JavaScript. A store failure is reported as such, never as success (R3).
 */
export async function finish(
  name: string,
  operation: (context: Context) => Promise<ActionResult>,
  done: { path: string; key: string },
  errorPath: string,
): Promise<never> {
  const result = await unlessUnavailable(name, async () => operation(await appContext()));
  if (result.ok) redirect(withParam(done.path, 'done', done.key));
  redirect(withParam(errorPath, 'error', result.error));
}
