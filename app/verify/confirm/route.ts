import { after, NextResponse, type NextRequest } from 'next/server';
import { isWellFormedCode } from '@/lib/auth/codes';
import { clearedChallengeCookie, cookieNames, sessionCookies, usesSecureCookies } from '@/lib/auth/cookies';
import { describeDevice, deviceFingerprint, normalizeDeviceLabel } from '@/lib/auth/device';
import { getKeyring } from '@/lib/auth/keys';
import { securityPageLink, sendNewDeviceNotice } from '@/lib/auth/new-device';
import { signInPolicy } from '@/lib/auth/policy';
import { completeSignIn } from '@/lib/auth/sign-in';
import { getEnv } from '@/lib/env';
import { BODY_ERRORS, crossSiteRefused, jsonError, seeOther, storeUnavailable, withCookies } from '@/lib/http/respond';
import { isCrossSiteRequest, isNavigation, readForm, safeNextPath } from '@/lib/http/request';
import { log } from '@/lib/log';
import { getMailer } from '@/lib/mail';

/**
 * POST /verify/confirm: checks the emailed code for this browser's challenge and, when it is
 * right, starts a new session and replaces whatever session cookies the browser had (L1).
 */
export async function POST(request: NextRequest): Promise<NextResponse> {
  if (isCrossSiteRequest(request)) return crossSiteRefused();
  const navigation = isNavigation(request);
  const read = await readForm(request);
  if (!read.ok) return jsonError(read.status, 'bad_request', BODY_ERRORS[read.status]);
  const form = read.form;
  const next = safeNextPath(form.get('next'));
  const retry = (error: string) => seeOther(`/verify?error=${error}&next=${encodeURIComponent(next)}`);

  const code = form.get('code');
  if (!isWellFormedCode(code)) {
    return navigation ? retry('format') : jsonError(400, 'invalid_code', 'The code is 6 digits.');
  }
  const challengeId = request.cookies.get(cookieNames(usesSecureCookies()).challenge)?.value;
  if (!challengeId || challengeId.length > 64) {
    return navigation ? seeOther(`/sign-in?error=expired&next=${encodeURIComponent(next)}`) : jsonError(400, 'invalid_code', 'That code is wrong or has expired.');
  }

  // The raw User-Agent is read here, turned into a label and a hash, and dropped.
  const userAgent = request.headers.get('user-agent');
  const seenAs = describeDevice(userAgent);
  const deviceLabel = normalizeDeviceLabel(form.get('device')) ?? seenAs.label;
  const now = new Date();
  let result;
  try {
    result = await completeSignIn(
      getKeyring(),
      {
        challengeId,
        code,
        deviceFingerprint: deviceFingerprint(userAgent),
        deviceLabel,
        deviceType: seenAs.type,
        persistent: form.get('persistent') === 'on',
      },
      signInPolicy(),
      now,
    );
  } catch (error) {
    log.error('sign_in_failed', { error: error instanceof Error ? error.message : 'unknown' });
    return storeUnavailable();
  }
  if (!result.ok) {
    return navigation ? retry('invalid') : jsonError(400, 'invalid_code', 'That code is wrong or has expired.');
  }
  log.info('signed_in', { session: result.sessionId.slice(0, 6), newUser: result.newUser, newDevice: result.newDevice });
  if (result.newDevice) {
    // After the response, outside the committed transaction: mail can be slow or fail, sign-in cannot.
    const notice = { to: result.email, device: seenAs.label, name: deviceLabel, at: now, link: securityPageLink(getEnv().SIGNET_ORIGIN) };
    after(() => sendNewDeviceNotice(getMailer(), notice));
  }
  return withCookies(seeOther(next), [...sessionCookies(result.tokens, now), clearedChallengeCookie()]);
}
