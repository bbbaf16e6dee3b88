'use server';

import { refresh } from 'next/cache';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { isConfirmed, sentByScript } from '@/app/components/form-fields';
import type { SessionContext } from '@/lib/auth/check';
import { signOutDevice, signOutEverywhere, signOutOtherDevices, type Actor } from '@/lib/auth/devices';
import { normalizeDeviceLabel } from '@/lib/auth/user-agent';
import { formOf, isFormData } from '@/lib/web/action-body';
import { unlessUnavailable, type ActionResult } from '@/lib/web/action-result';
import { appContext } from '@/lib/web/context';
import { signedOutCookies } from '@/lib/web/notice';
import { withQuery } from '@/lib/web/request';
import { requireActionSession } from '@/lib/web/session';

/**
 * The security page's actions. Each one checks the session itself (the proxy never refreshes a
 * POST), validates its form, calls lib/ scoped by the signed-in user, and answers with a
 * discriminated result. An id that is not the user's gets the same answer as one that is: the
 * page must not become a way to test whether a session id exists. A hand-made call can pass
 * anything in place of the form: that is an invalid request, never an exception.
 *
 * They work without JavaScript too: anything that ends another device's session first answers
 * "ask first" (`confirm`) unless the form says `confirmed`, and a success posted without script
 * redirects back to the page, which says what happened (sentByScript forms get the result).
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

type AskFirst = { ok: false; confirm: true };
const ASK_FIRST: AskFirst = { ok: false, confirm: true };
const INVALID = { ok: false, error: 'invalid' } as const;
export type RenameResult = ActionResult<'invalid_label' | 'invalid' | 'unavailable', { label: string }>;
export type SignOutResult = ActionResult<'invalid' | 'unavailable'> | AskFirst;
export type SignOutOthersResult = ActionResult<'unavailable', { count: number }> | AskFirst;
export type SignOutEverywhereResult = { ok: false; error: 'unavailable' } | AskFirst;

const actorOf = (session: SessionContext): Actor => ({ userId: session.userId, sessionId: session.sessionId, orgId: session.orgId });

/** Without script, back to the page saying what happened; with it, the result (after a re-render). */
function done<T>(form: FormData, said: Record<string, string>, result: T): T {
  if (!sentByScript(form)) redirect(withQuery(PAGE, said));
  refresh();
  return result;
}

/** This browser signed itself out: expire its cookies on this response, say so on /sign-in. */
async function leaveSignedOut(): Promise<never> {
  const jar = await cookies();
  for (const cookie of signedOutCookies(null)) jar.set(cookie);
  redirect('/sign-in?signed-out=1');
}

/** Renames one of the signed-in user's devices. */
export async function renameDeviceAction(_previous: RenameResult | null, form: FormData): Promise<RenameResult> {
  const session = await requireActionSession(PAGE);
  if (!isFormData(form)) return INVALID;
  const sessionId = sessionIdField.safeParse(form.get('sessionId'));
  if (!sessionId.success) return INVALID;
  const label = labelField.safeParse(form.get('label'));
  if (!label.success) return { ok: false, error: 'invalid_label' };
  const renamed = await unlessUnavailable('rename_device', async () => {
    const { store, now } = await appContext();
    await store.renameDevice(actorOf(session), sessionId.data, label.data, now());
    return { ok: true, label: label.data } as const;
  });
  return renamed.ok ? done(form, { renamed: sessionId.data }, renamed) : renamed;
}

/** Signs one device out, asked first; choosing this device signs this browser out and goes to /sign-in. */
export async function signOutDeviceAction(_previous: SignOutResult | null, form: FormData): Promise<SignOutResult> {
  const session = await requireActionSession(PAGE);
  if (!isFormData(form)) return INVALID;
  const sessionId = sessionIdField.safeParse(form.get('sessionId'));
  if (!sessionId.success) return INVALID;
  const thisDevice = sessionId.data === session.sessionId;
  if (!thisDevice && !isConfirmed(form)) return ASK_FIRST;
  const ended = await unlessUnavailable('sign_out_device', async () => {
    await signOutDevice(await appContext(), actorOf(session), sessionId.data);
    return { ok: true } as const;
  });
  if (!ended.ok) return ended;
  if (thisDevice) return leaveSignedOut();
  return done(form, { 'signed-out': sessionId.data }, ended);
}

/** Signs out every other device of the signed-in user, asked first; the count is shown as "3 devices signed out". */
export async function signOutOtherDevicesAction(_previous: SignOutOthersResult | null, form: FormData): Promise<SignOutOthersResult> {
  const session = await requireActionSession(PAGE);
  if (!isConfirmed(formOf(form))) return ASK_FIRST; // a hand-made call may pass anything: it is never a confirmation
  const ended = await unlessUnavailable('sign_out_others', async () => ({ ok: true, count: await signOutOtherDevices(await appContext(), actorOf(session)) }) as const);
  return ended.ok ? done(form, { 'signed-out-others': String(ended.count) }, ended) : ended;
}

/** Signs out every device of the signed-in user, this one included, asked first; then /sign-in. */
export async function signOutEverywhereAction(_previous: SignOutEverywhereResult | null, form: FormData): Promise<SignOutEverywhereResult> {
  const session = await requireActionSession(PAGE);
  if (!isConfirmed(formOf(form))) return ASK_FIRST; // a hand-made call may pass anything: it is never a confirmation
  const ended = await unlessUnavailable('sign_out_everywhere', async () => {
    await signOutEverywhere(await appContext(), actorOf(session));
    return { ok: true } as const;
  });
  return ended.ok ? leaveSignedOut() : ended;
}
