import { newDeviceChallenge, verifyRefreshProof, verifyRegistrationProof } from '../crypto/device-proof';
import { verifyToken } from '../crypto/tokens';
import { addSeconds } from '../ids';
import { log } from '../log';
import { DBSC_CHALLENGE_TTL_SECONDS } from '../rules';
import { checkAccessToken } from './check';
import type { Context } from './context';
import type { IssuedTokens } from './issue';
import { rotateRefreshToken } from './refresh';

/**
 * Device-bound sessions (DBSC): offer binding at sign-in, bind the key the browser registers, and
 * refresh against a proof from that key. The wire format is lib/web/dbsc.ts; the rotation itself
 * is today's (./refresh.ts), told that the device proved itself.
 */

/** `wrong_key`: a refresh proof not signed by the key the session is bound to. */
export type BindingRefusal = 'signed_out' | 'invalid_proof' | 'wrong_key' | 'already_bound' | 'invalid_challenge';
const refused = (error: BindingRefusal) => ({ ok: false, error }) as const;

const challengeFor = (now: Date) => ({ challenge: newDeviceChallenge(), expiresAt: addSeconds(now, DBSC_CHALLENGE_TTL_SECONDS) });

/**
 * A registration challenge for a session that just started, or null: a store failure must not
 * fail a sign-in that already succeeded, it only leaves this session unbound (as before DBSC).
 */
export async function offerDeviceBinding({ store, now: clock }: Context, sessionId: string): Promise<string | null> {
  const now = clock();
  const { challenge, expiresAt } = challengeFor(now);
  try {
    return (await store.createDeviceChallenge({ sessionId, challenge, expiresAt, purpose: 'registration' }, now)) ? challenge : null;
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
  context: Context,
  accessToken: string | undefined,
  proof: string | null,
): Promise<{ ok: true; sessionId: string } | { ok: false; error: BindingRefusal }> {
  const checked = await checkAccessToken(context, accessToken);
  if (checked.status !== 'valid') return refused('signed_out');
  const proven = await verifyRegistrationProof(proof);
  if (!proven.ok) return refused('invalid_proof');
  const { sessionId, userId } = checked.session;
  const binding = await context.store.bindDeviceKey({ sessionId, userId, challenge: proven.challenge, publicKey: proven.publicKey }, context.now());
  switch (binding) {
    case 'bound':
      return { ok: true, sessionId };
    case 'already_bound':
      return refused('already_bound');
    case 'no_challenge':
      return refused('invalid_challenge');
    case 'ended':
      return refused('signed_out');
  }
}

export type DeviceRefresh =
  | { ok: true; sessionId: string; tokens: IssuedTokens }
  /** Sign this challenge with the session's key and ask again. */
  | { ok: false; error: 'proof_required'; sessionId: string; challenge: string }
  | { ok: false; error: BindingRefusal };

/**
 * A bound session's refresh. Needs the refresh cookie of the session the browser names, and a
 * proof signed by the stored key answering one of this session's unused challenges; then it
 * rotates exactly as a plain refresh (generation, grace window, reuse detection, fixed end).
 * Without a usable proof, a fresh challenge. A proof from any other key gets nothing.
 */
export async function refreshWithDeviceKey(
  context: Context,
  refreshToken: string | undefined,
  namedSessionId: string | null,
  proof: string | null,
): Promise<DeviceRefresh> {
  const { store, keyring } = context;
  const now = context.now();
  const claims = await verifyToken(keyring, 'refresh', refreshToken, now);
  if (!claims || claims.jti !== namedSessionId) return refused('signed_out');
  const storedKey = await store.findDeviceKey(claims.jti, now);
  if (!storedKey) return refused('signed_out');
  if (proof !== null) {
    const challenge = await verifyRefreshProof(proof, storedKey);
    if (challenge === null) return refused('wrong_key');
    // A right signature over a used or expired challenge falls through to a fresh challenge.
    if (await store.consumeDeviceChallenge(claims.jti, challenge, now)) {
      const rotated = await rotateRefreshToken({ ...context, now: () => now }, refreshToken, true);
      return rotated.ok ? { ok: true, sessionId: claims.jti, tokens: rotated.tokens } : refused('signed_out');
    }
  }
  const { challenge, expiresAt } = challengeFor(now);
  const stored = await store.createDeviceChallenge({ sessionId: claims.jti, challenge, expiresAt, purpose: 'refresh' }, now);
  return stored ? { ok: false, error: 'proof_required', sessionId: claims.jti, challenge } : refused('signed_out');
}
