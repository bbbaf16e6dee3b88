import { checkAccessToken } from '../auth/check';
import type { IssuedTokens } from '../auth/cookies';
import type { Keyring } from '../auth/keys';
import { rotateRefreshToken, type RefreshPolicy } from '../auth/refresh';
import { verifyToken } from '../auth/tokens';
import { log } from '../log';
import { getStore } from '../store';
import { verifyRefreshProof, verifyRegistrationProof } from './proof';
import { challengeExpiry, newChallenge, registrationHeader } from './protocol';

/**
 * DBSC's use cases: offer binding at sign-in, bind the key the browser registers, and refresh
 * against a proof from that key. The HTTP edges are app/dbsc/*; the rotation itself is today's
 * (lib/auth/refresh), told that the device proved itself.
 */

export type Refused = { ok: false; status: 400 | 401 | 409; error: string; message: string };
const refused = (status: Refused['status'], error: string, message: string): Refused => ({ ok: false, status, error, message });
const SIGNED_OUT = refused(401, 'signed_out', 'Please sign in again.');

/**
 * The registration header for a session that just started, or null: a store failure must not
 * fail a sign-in that already succeeded, it only leaves this session unbound (as today).
 */
export async function offerDeviceBinding(sessionId: string, now: Date): Promise<string | null> {
  const challenge = newChallenge();
  try {
    const stored = await (await getStore()).createDeviceChallenge({ sessionId, challenge, expiresAt: challengeExpiry(now), purpose: 'registration' }, now);
    return stored ? registrationHeader(challenge) : null;
  } catch (error) {
    log.warn('dbsc_offer_failed', { error: error instanceof Error ? error.message : 'unknown' });
    return null;
  }
}

/**
 * Binds the signed-in session (its access token) to the key its proof embeds. The proof must
 * answer an unused, unexpired challenge of this very session; a bound session is never bound again.
 */
export async function registerDeviceKey(
  keyring: Keyring,
  accessToken: string | undefined,
  proof: string | null,
  now: Date,
  lastSeenIntervalSeconds: number,
): Promise<{ ok: true; sessionId: string } | Refused> {
  const checked = await checkAccessToken(keyring, accessToken, now, lastSeenIntervalSeconds);
  if (checked.status !== 'valid') return SIGNED_OUT;
  const proven = await verifyRegistrationProof(proof);
  if (!proven.ok) return refused(400, 'invalid_proof', 'The device proof is not valid.');
  const { sessionId, userId } = checked.session;
  const binding = await (await getStore()).bindDeviceKey({ sessionId, userId, challenge: proven.challenge, publicKey: proven.publicKey }, now);
  switch (binding) {
    case 'bound':
      return { ok: true, sessionId };
    case 'already_bound':
      return refused(409, 'already_bound', 'This session is already bound to a device key.');
    case 'no_challenge':
      return refused(400, 'invalid_challenge', 'The challenge is unknown, used or expired.');
    case 'ended':
      return SIGNED_OUT;
  }
}

export type DeviceRefresh =
  | { ok: true; sessionId: string; tokens: IssuedTokens }
  /** 403 with this challenge: sign it with the session's key and ask again. */
  | { ok: false; status: 403; sessionId: string; challenge: string }
  | Refused;

/**
 * A bound session's refresh. Needs the refresh cookie of the session the browser names, and a proof
 * signed by the stored key answering one of this session's unused challenges; then it rotates
 * exactly as a plain refresh (generation, grace window, reuse detection, fixed end). Without a
 * usable proof, a fresh challenge (403). A proof from any other key gets nothing.
 */
export async function refreshWithDeviceKey(
  keyring: Keyring,
  refreshToken: string | undefined,
  namedSessionId: string | null,
  proof: string | null,
  policy: RefreshPolicy,
  now: Date,
): Promise<DeviceRefresh> {
  const claims = await verifyToken(keyring, 'refresh', refreshToken, now);
  if (!claims || claims.jti !== namedSessionId) return SIGNED_OUT;
  const store = await getStore();
  const storedKey = await store.findDeviceKey(claims.jti, now);
  if (!storedKey) return SIGNED_OUT;
  if (proof !== null) {
    const challenge = await verifyRefreshProof(proof, storedKey);
    if (challenge === null) return refused(401, 'invalid_proof', 'The device proof is not valid.');
    // A right signature over a used or expired challenge falls through to a fresh challenge.
    if (await store.consumeDeviceChallenge(claims.jti, challenge, now)) {
      const rotated = await rotateRefreshToken(keyring, refreshToken, policy, now, true);
      return rotated.ok ? { ok: true, sessionId: claims.jti, tokens: rotated.tokens } : SIGNED_OUT;
    }
  }
  const challenge = newChallenge();
  const stored = await store.createDeviceChallenge({ sessionId: claims.jti, challenge, expiresAt: challengeExpiry(now), purpose: 'refresh' }, now);
  return stored ? { ok: false, status: 403, sessionId: claims.jti, challenge } : SIGNED_OUT;
}
