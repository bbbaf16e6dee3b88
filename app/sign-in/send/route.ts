import { NextResponse, type NextRequest } from 'next/server';
import { z } from 'zod';
import { CODE_TTL_SECONDS, SEND_BUDGET_SPENT_MESSAGE, startChallenge } from '@/lib/auth/codes';
import { challengeCookie } from '@/lib/auth/cookies';
import { getKeyring } from '@/lib/auth/keys';
import { BODY_ERRORS, crossSiteRefused, jsonError, seeOther, storeUnavailable, withCookies } from '@/lib/http/respond';
import { isCrossSiteRequest, isNavigation, readForm, safeNextPath } from '@/lib/http/request';
import { log } from '@/lib/log';
import { getMailer, signInCodeMessage } from '@/lib/mail';
import { normalizeEmail } from '@/lib/users';

const emailSchema = z.string().max(254).transform(normalizeEmail).pipe(z.email());

/**
 * POST /sign-in/send: emails a 6-digit code and binds it to this browser with an HttpOnly
 * challenge cookie. Known and unknown addresses, and addresses over their send cap, all get the
 * same answer (C5): nothing here says whether an account exists. Past the deployment's global send
 * budget (C6) every address is told to try again in a minute, and no email goes out.
 */
export async function POST(request: NextRequest): Promise<NextResponse> {
  if (isCrossSiteRequest(request)) return crossSiteRefused();
  const navigation = isNavigation(request);
  const read = await readForm(request);
  if (!read.ok) return jsonError(read.status, 'bad_request', BODY_ERRORS[read.status]);
  const next = safeNextPath(read.form.get('next'));
  const email = emailSchema.safeParse(read.form.get('email') ?? '');
  if (!email.success) {
    if (navigation) return seeOther(`/sign-in?error=email&next=${encodeURIComponent(next)}`);
    return jsonError(400, 'invalid_email', 'Enter a valid email address.');
  }

  let started;
  try {
    started = await startChallenge(getKeyring(), email.data, new Date());
  } catch (error) {
    log.error('challenge_not_started', { error: error instanceof Error ? error.message : 'unknown' });
    return storeUnavailable();
  }
  if (started.outcome === 'budget_spent') {
    // Logged without the address: the refusal is about the deployment, not anyone's account (C6).
    log.warn('code_send_budget_spent');
    if (navigation) return seeOther(`/sign-in?error=busy&next=${encodeURIComponent(next)}`);
    return jsonError(429, 'busy', SEND_BUDGET_SPENT_MESSAGE, { 'Retry-After': '60' });
  }
  if (started.code) {
    try {
      await getMailer().send(signInCodeMessage(email.data, started.code));
    } catch (error) {
      log.error('code_email_failed', { error: error instanceof Error ? error.message : 'unknown' });
      return jsonError(503, 'mail_unavailable', 'Signet could not send the email just now. Try again in a minute.', { 'Retry-After': '30' });
    }
  }
  const response = navigation
    ? seeOther(`/verify?next=${encodeURIComponent(next)}`)
    : NextResponse.json({ ok: true, message: 'If that address can sign in, a code is on its way.' }, { status: 202 });
  return withCookies(response, [challengeCookie(started.challengeId, CODE_TTL_SECONDS)]);
}
