import { NextResponse, type NextRequest } from 'next/server';
import { z } from 'zod';
import { startChallenge } from '@/lib/auth/sign-in';
import { CODE_TTL_SECONDS } from '@/lib/rules/caps';
import { challengeCookie } from '@/lib/web/cookies';
import type { AddressLimit } from '@/lib/rules/limits';
import { BODY_ERRORS, crossSiteRefused, jsonError, refusal, seeOther, storeUnavailable, withCookies } from '@/lib/web/respond';
import { isCrossSiteRequest, isNavigation, readForm, safeNextPath, withQuery } from '@/lib/web/request';
import { log } from '@/lib/log';
import { signInCodeMessage } from '@/lib/text/mail';
import { appContext } from '@/lib/web/context';
import { normalizeEmail } from '@/lib/users';
import { LIMIT_WORDS, PROBLEMS } from '../words';

const emailSchema = z.string().max(254).transform(normalizeEmail).pipe(z.email());

/**
 * POST /sign-in/send: emails a 6-digit code and binds it to this browser with an HttpOnly
 * challenge cookie. Known and unknown addresses get the same answer (C5). An address over a cap
 * is told which cap and until when (C7): the caps count every address alike, so that says nothing
 * about accounts; and this browser keeps the challenge cookie it had, so a code it already holds
 * still works. Past the deployment's global send budget (C6) every address is told to try again in
 * a minute, and no email goes out. A form post gets a redirect to a page in words; fetch clients get JSON.
 */
export async function POST(request: NextRequest): Promise<NextResponse> {
  const page = isNavigation(request);
  if (isCrossSiteRequest(request)) return crossSiteRefused(page);
  const read = await readForm(request);
  if (!read.ok) return refusal(page, read.status, 'bad_request', BODY_ERRORS[read.status]);
  const next = safeNextPath(read.form.get('next'));
  const back = (path: string, params: Record<string, string>) => seeOther(withQuery(path, { ...params, next }));
  const email = emailSchema.safeParse(read.form.get('email') ?? '');
  if (!email.success) return page ? back('/sign-in', { error: 'email' }) : jsonError(400, 'invalid_email', PROBLEMS.get('email') ?? '');

  const context = await appContext();
  const now = context.now();
  let started;
  try {
    started = await startChallenge(context, email.data);
  } catch (error) {
    log.error('challenge_not_started', { error: error instanceof Error ? error.message : 'unknown' });
    return page ? back('/sign-in', { error: 'unavailable' }) : storeUnavailable();
  }
  if (started.outcome === 'budget_spent') {
    // Logged without the address: the refusal is about the deployment, not anyone's account (C6).
    log.warn('code_send_budget_spent');
    if (page) return back('/sign-in', { error: 'busy' });
    return jsonError(429, 'busy', PROBLEMS.get('busy') ?? '', { 'Retry-After': '60' });
  }
  if (started.limit) return limited(started.limit, page, back, now);
  try {
    await context.mailer.send(signInCodeMessage(email.data, started.code ?? ''));
  } catch (error) {
    // The error's name and code only: a transport's message can quote the recipient or the mail server's address.
    const code = typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : null;
    log.error('code_email_failed', { error: error instanceof Error ? error.name : 'unknown', code });
    if (page) return back('/sign-in', { error: 'mail' });
    return jsonError(503, 'mail_unavailable', PROBLEMS.get('mail') ?? '', { 'Retry-After': '30' });
  }
  const response = page
    ? back('/verify', {})
    : NextResponse.json({ ok: true, message: 'If that address can sign in, a code is on its way.' }, { status: 202 });
  return withCookies(response, [challengeCookie(started.challengeId, CODE_TTL_SECONDS)]);
}

/** An address over a cap: the code page (sends) or the sign-in page (locked) says so, with when. */
function limited(limit: AddressLimit, page: boolean, back: (path: string, params: Record<string, string>) => NextResponse, now: Date): NextResponse {
  const until = limit.until.toISOString();
  if (page) return back(limit.limit === 'sends' ? '/verify' : '/sign-in', { limit: limit.limit, until });
  const seconds = Math.max(1, Math.ceil((limit.until.getTime() - now.getTime()) / 1000));
  const message = `${LIMIT_WORDS[limit.limit]} after ${until.slice(11, 16)} UTC.`;
  return jsonError(429, limit.limit === 'sends' ? 'send_limit' : 'address_locked', message, { 'Retry-After': String(seconds) });
}
