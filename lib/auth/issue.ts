import { signToken } from '../crypto/tokens';
import { accessExpiry } from '../rules';
import type { Keyring } from '../crypto/keys';

export type TokenSubject = {
  sessionId: string;
  userId: string;
  generation: number;
  refreshExpiresAt: Date;
  persistent: boolean;
};

export type IssuedTokens = {
  accessToken: string;
  refreshToken: string;
  accessExpiresAt: Date;
  refreshExpiresAt: Date;
  persistent: boolean;
};

/**
 * Signs an access/refresh pair for a session generation. The access token never outlives the
 * session; the refresh token always expires at the session's fixed absolute end.
 */
export async function issueTokens(keyring: Keyring, subject: TokenSubject, accessTtlSeconds: number, now: Date): Promise<IssuedTokens> {
  const accessExpiresAt = accessExpiry(now, accessTtlSeconds, subject.refreshExpiresAt);
  const base = { sessionId: subject.sessionId, userId: subject.userId, issuedAt: now };
  const [accessToken, refreshToken] = await Promise.all([
    signToken(keyring, 'access', { ...base, expiresAt: accessExpiresAt }),
    signToken(keyring, 'refresh', { ...base, expiresAt: subject.refreshExpiresAt, generation: subject.generation }),
  ]);
  return { accessToken, refreshToken, accessExpiresAt, refreshExpiresAt: subject.refreshExpiresAt, persistent: subject.persistent };
}
