import { jwtVerify, SignJWT, type JWTHeaderParameters } from 'jose';
import { z } from 'zod';
import type { Keyring } from './keys';

/**
 * Access and refresh JWTs. This module knows jose and nothing else: no database, no HTTP.
 * The two kinds differ in `typ` and audience, so neither can stand in for the other (RFC 8725 §3.11).
 */
export type TokenKind = 'access' | 'refresh';

const KINDS = {
  access: { typ: 'signet-access+jwt', audience: 'signet:access' },
  refresh: { typ: 'signet-refresh+jwt', audience: 'signet:refresh' },
} as const;

const ISSUER = 'signet';
const ALGORITHM = 'HS256'; // pinned: the only algorithm any key accepts
export const CLOCK_TOLERANCE_SECONDS = 5;
const MAX_TOKEN_LENGTH = 2048; // a real token is ~300 bytes; anything far larger is not ours

const baseClaims = z.object({
  iss: z.literal(ISSUER),
  sub: z.string().min(1).max(64),
  jti: z.string().min(22).max(64),
  iat: z.number().int(),
  exp: z.number().int(),
});
const accessClaims = baseClaims.extend({ aud: z.literal(KINDS.access.audience) });
const refreshClaims = baseClaims.extend({
  aud: z.literal(KINDS.refresh.audience),
  gen: z.number().int().min(0),
});

export type AccessClaims = z.infer<typeof accessClaims>;
export type RefreshClaims = z.infer<typeof refreshClaims>;

export type TokenInput = { sessionId: string; userId: string; generation?: number; issuedAt: Date; expiresAt: Date };

/** Signs a token of `kind` with the keyring's newest key; `kid` names the key version. */
export async function signToken(keyring: Keyring, kind: TokenKind, input: TokenInput): Promise<string> {
  const key = keyring.current;
  const claims: Record<string, unknown> = kind === 'refresh' ? { gen: input.generation ?? 0 } : {};
  return new SignJWT(claims)
    .setProtectedHeader({ alg: ALGORITHM, kid: key.kid, typ: KINDS[kind].typ })
    .setIssuer(ISSUER)
    .setAudience(KINDS[kind].audience)
    .setSubject(input.userId)
    .setJti(input.sessionId)
    .setIssuedAt(Math.floor(input.issuedAt.getTime() / 1000))
    .setExpirationTime(Math.floor(input.expiresAt.getTime() / 1000))
    .sign(await key.cryptoKey);
}

/**
 * Verifies a token of `kind`: pinned algorithm, known `kid` only, exact `typ`, audience and
 * issuer, `exp`/`iat` with a small tolerance, then the payload's shape. Returns null for anything
 * that fails, whatever the reason; it never throws on hostile input.
 */
export async function verifyToken(keyring: Keyring, kind: 'access', token: string | undefined, now?: Date): Promise<AccessClaims | null>;
export async function verifyToken(keyring: Keyring, kind: 'refresh', token: string | undefined, now?: Date): Promise<RefreshClaims | null>;
export async function verifyToken(keyring: Keyring, kind: TokenKind, token: string | undefined, now?: Date): Promise<AccessClaims | RefreshClaims | null>;
export async function verifyToken(
  keyring: Keyring,
  kind: TokenKind,
  token: string | undefined,
  now: Date = new Date(),
): Promise<AccessClaims | RefreshClaims | null> {
  if (!token || token.length > MAX_TOKEN_LENGTH) return null;
  try {
    const { payload } = await jwtVerify(
      token,
      // Only header.kid selects a key, and only from the Map: an embedded jwk/jku/x5c is ignored.
      async (header: JWTHeaderParameters) => {
        const key = typeof header.kid === 'string' ? keyring.byKid.get(header.kid) : undefined;
        if (!key) throw new Error('unknown key version');
        return key.cryptoKey;
      },
      {
        algorithms: [ALGORITHM],
        typ: KINDS[kind].typ,
        audience: KINDS[kind].audience,
        issuer: ISSUER,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: now,
        requiredClaims: ['iss', 'sub', 'aud', 'jti', 'iat', 'exp'],
      },
    );
    const parsed = kind === 'access' ? accessClaims.safeParse(payload) : refreshClaims.safeParse(payload);
    if (!parsed.success) return null;
    // jose checks iat only when maxTokenAge is set; a token issued in the future is refused here (T4).
    if (parsed.data.iat > now.getTime() / 1000 + CLOCK_TOLERANCE_SECONDS) return null;
    return parsed.data;
  } catch {
    return null;
  }
}

/** The key version named in a token's header, without trusting anything else in it. */
export function peekKeyVersion(token: string): string | null {
  const header = token.split('.', 1)[0];
  if (!header || header.length > 512) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    const kid = z.object({ kid: z.string().max(64) }).safeParse(parsed);
    return kid.success ? kid.data.kid : null;
  } catch {
    return null;
  }
}
