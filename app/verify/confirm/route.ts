import { after, NextResponse, type NextRequest } from 'next/server';
import { newAlertToken, notYouLink } from '@/lib/auth/alert-link';
import { offerDeviceBinding } from '@/lib/auth/device-binding';
import { sendNewDeviceNotice } from '@/lib/auth/new-device';
import { completeSignIn, explainCodeRefusal } from '@/lib/auth/sign-in';
import { describeDevice, deviceFingerprint, normalizeDeviceLabel } from '@/lib/auth/user-agent';
import { isWellFormedCode } from '@/lib/crypto/codes';
import { log } from '@/lib/log';
import type { CodeRefusal } from '@/lib/rules/limits';
import { securityPageLink } from '@/lib/text/mail';
import { appContext } from '@/lib/web/context';
import { clearedChallengeCookie, cookieNames, sessionCookies, usesSecureCookies } from '@/lib/web/cookies';
import { clearedNoticeCookie } from '@/lib/web/notice';
import { registrationHeader } from '@/lib/web/dbsc';
import { appOrigin, isCrossSiteRequest, isNavigation, readForm, safeNextPath, withQuery } from '@/lib/web/request';
import { BODY_ERRORS, crossSiteRefused, jsonError, refusal, seeOther, storeUnavailable, withCookies } from '@/lib/web/respond';
import { LIMIT_WORDS, PROBLEMS, wrongCodeWords } from '../../sign-in/words';

/**
 * POST /verify/confirm: checks the emailed code for this browser's challenge and, when it is
 * right, starts a new session and replaces whatever session cookies the browser had (L1). A
 * refused code sends the form back with what the person chose ("Stay signed in", the device
 * name) and why it was refused (C7), in words alike for every address (C5).
 */
export async function POST(request: NextRequest): Promise<NextResponse> {
  const page = isNavigation(request);
  if (isCrossSiteRequest(request)) return crossSiteRefused(page);
  const read = await readForm(request);
  if (!read.ok) return refusal(page, read.status, 'bad_request', BODY_ERRORS[read.status]);
  const form = read.form;
  const next = safeNextPath(form.get('next'));
  const persistent = form.get('persistent') === 'on';
  // The raw User-Agent is read here, turned into a label and a hash, and dropped.
  const userAgent = request.headers.get('user-agent');
  const seenAs = describeDevice(userAgent);
  const deviceLabel = normalizeDeviceLabel(form.get('device')) ?? seenAs.label;
  const kept = { stay: persistent ? undefined : 'off', device: deviceLabel === seenAs.label ? undefined : deviceLabel, next };
  const retry = (params: Record<string, string>) => seeOther(withQuery('/verify', { ...params, ...kept }));

  const code = form.get('code');
  if (!isWellFormedCode(code)) return page ? retry({ error: 'format' }) : jsonError(400, 'invalid_code', PROBLEMS.get('format') ?? '');
  const challengeId = request.cookies.get(cookieNames(usesSecureCookies()).challenge)?.value;
  if (!challengeId || challengeId.length > 64) {
    return page ? seeOther(withQuery('/sign-in', { error: 'expired', next })) : jsonError(400, 'invalid_code', PROBLEMS.get('expired') ?? '');
  }

  const context = await appContext();
  const now = context.now();
  const alert = newAlertToken();
  let result;
  try {
    const device = { deviceFingerprint: deviceFingerprint(userAgent), deviceLabel, labelIsSuggestion: deviceLabel === seenAs.label, deviceType: seenAs.type };
    result = await completeSignIn(context, { challengeId, code, ...device, persistent, alertTokenHash: alert.hash });
  } catch (error) {
    log.error('sign_in_failed', { error: error instanceof Error ? error.message : 'unknown' });
    return page ? retry({ error: 'unavailable' }) : storeUnavailable();
  }
  if (!result.ok) {
    let refused: CodeRefusal;
    try {
      refused = await explainCodeRefusal(context, challengeId);
    } catch (error) {
      log.error('refusal_not_explained', { error: error instanceof Error ? error.message : 'unknown' });
      return page ? retry({ error: 'unavailable' }) : storeUnavailable();
    }
    return page ? retry(refusalQuery(refused)) : refusalJson(refused, now);
  }
  log.info('signed_in', { session: result.sessionId.slice(0, 6), newUser: result.newUser, newDevice: result.newDevice });
  if (result.newDevice) {
    // After the response, outside the committed transaction: mail can be slow or fail, sign-in cannot.
    const origin = appOrigin(request);
    const notice = { to: result.email, device: seenAs.label, name: result.deviceLabel, at: now, link: securityPageLink(origin), notYouLink: notYouLink(origin, alert.token) };
    after(() => sendNewDeviceNotice(context, notice));
  }
  // DBSC: on https, offer the browser to bind this new session to a key of its own.
  const challenge = usesSecureCookies() ? await offerDeviceBinding(context, result.sessionId) : null;
  const headers = challenge ? registrationHeader(challenge) : {};
  return withCookies(seeOther(next, headers), [...sessionCookies(result.tokens, now), clearedChallengeCookie(), clearedNoticeCookie()]);
}

function refusalQuery(refused: CodeRefusal): Record<string, string> {
  switch (refused.reason) {
    case 'wrong':
      return { error: 'wrong', left: String(refused.triesLeft) };
    case 'address_locked':
      return { limit: 'failures', until: refused.until.toISOString() };
    default:
      return { error: refused.reason };
  }
}

function refusalJson(refused: CodeRefusal, now: Date): NextResponse {
  switch (refused.reason) {
    case 'wrong':
      return jsonError(400, 'invalid_code', wrongCodeWords(refused.triesLeft));
    case 'used_up':
      return jsonError(400, 'code_used_up', PROBLEMS.get('used_up') ?? '');
    case 'expired':
      return jsonError(400, 'code_expired', PROBLEMS.get('expired') ?? '');
    case 'address_locked': {
      const seconds = Math.max(1, Math.ceil((refused.until.getTime() - now.getTime()) / 1000));
      const message = `${LIMIT_WORDS.failures} after ${refused.until.toISOString().slice(11, 16)} UTC.`;
      return jsonError(429, 'address_locked', message, { 'Retry-After': String(seconds) });
    }
  }
}
