'use server';

import { refresh } from 'next/cache';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { clearedSessionCookies } from '@/lib/auth/cookies';
import { requireActionSession } from '@/lib/auth/current-session';
import { normalizeDeviceLabel } from '@/lib/auth/device';
import { renameDevice, signOutDevice, signOutOtherDevices, type Actor } from '@/lib/auth/device-control';
import type { SessionContext } from '@/lib/auth/check';
import { isFormData } from '@/lib/http/action-body';
import { log } from '@/lib/log';

/**
 * The security page's actions. Each one checks the session itself (the proxy never refreshes a
 * POST), validates its form, calls lib/ scoped by the signed-in user, and answers with a
 * discriminated result. An id that is not the user's gets the same answer as one that is: the
 * page must not become a way to test whether a session id exists. A hand-made call can pass
 * anything in place of the form: that is an invalid request, never an exception.
 */
const PAGE = '/settings/security';

const sessionIdField = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);
const labelField = z
  .string()
  .max(1024)
  .transform((value, context) => {
    const label = normalizeDeviceLabel(value);
    if (label === null) context.addIssue({ code: 'custom', message: 'A device name has 1 to 64 characters.' });
    return label ?? z.NEVER;
  });

export type RenameResult = { ok: true; label: string } | { ok: false; error: 'invalid_label' | 'invalid_request' | 'unavailable' };
export type SignOutResult = { ok: true } | { ok: false; error: 'invalid_request' | 'unavailable' };
export type SignOutOthersResult = { ok: true; count: number } | { ok: false; error: 'unavailable' };

const actorOf = (session: SessionContext): Actor => ({ userId: session.userId, sessionId: session.sessionId, orgId: session.orgId });

function failed(action: string, error: unknown): { ok: false; error: 'unavailable' } {
  log.error('security_action_failed', { action, error: error instanceof Error ? error.message : 'unknown' });
  return { ok: false, error: 'unavailable' };
}

/** Renames one of the signed-in user's devices. */
export async function renameDeviceAction(form: FormData): Promise<RenameResult> {
  const session = await requireActionSession(PAGE);
  if (!isFormData(form)) return { ok: false, error: 'invalid_request' };
  const sessionId = sessionIdField.safeParse(form.get('sessionId'));
  if (!sessionId.success) return { ok: false, error: 'invalid_request' };
  const label = labelField.safeParse(form.get('label'));
  if (!label.success) return { ok: false, error: 'invalid_label' };
  try {
    await renameDevice(actorOf(session), sessionId.data, label.data, new Date());
  } catch (error) {
    return failed('rename', error);
  }
  refresh();
  return { ok: true, label: label.data };
}

/** Signs one device out; choosing this device signs this browser out and goes to /sign-in. */
export async function signOutDeviceAction(form: FormData): Promise<SignOutResult> {
  const session = await requireActionSession(PAGE);
  if (!isFormData(form)) return { ok: false, error: 'invalid_request' };
  const sessionId = sessionIdField.safeParse(form.get('sessionId'));
  if (!sessionId.success) return { ok: false, error: 'invalid_request' };
  let endedCurrent: boolean;
  try {
    endedCurrent = (await signOutDevice(actorOf(session), sessionId.data, new Date())).endedCurrent;
  } catch (error) {
    return failed('sign_out_device', error);
  }
  if (endedCurrent) {
    // Expire this browser's cookies on the action's own response, then leave the page.
    const store = await cookies();
    for (const cookie of clearedSessionCookies()) store.set(cookie);
    redirect('/sign-in');
  }
  refresh();
  return { ok: true };
}

/** Signs out every other device of the signed-in user; the count is shown as "3 devices signed out". */
export async function signOutOtherDevicesAction(): Promise<SignOutOthersResult> {
  const session = await requireActionSession(PAGE);
  let count: number;
  try {
    count = await signOutOtherDevices(actorOf(session), new Date());
  } catch (error) {
    return failed('sign_out_others', error);
  }
  refresh();
  return { ok: true, count };
}
