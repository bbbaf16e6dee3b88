import { jwtVerify, SignJWT, type JWTHeaderParameters } from 'jose';
import { claimSchemas, ISSUER, KINDS, type AccessClaims, type ClaimsOf, type RefreshClaims, type TokenKind } from './claims';
import { BoundedMap } from '../bounded-map';
import type { Keyring, SigningKey } from './keys';

/**
 * Access and refresh JWTs, signed and verified by jose (HS256, the key chosen by `kid` from the
 * keyring). Knows the claims (./claims) and the keyring, nothing else: no database, no HTTP.
 */
export type { AccessClaims, RefreshClaims, TokenKind } from './claims';

const ALGORITHM = 'HS256'; // pinned: the only algorithm any key accepts
export const CLOCK_TOLERANCE_SECONDS = 5;
const REQUIRED_CLAIMS = ['iss', 'sub', 'aud', 'jti', 'iat', 'exp'];
const MAX_TOKEN_LENGTH = 2048; // a real token is ~300 bytes; anything far larger is not ours

export type TokenInput = { sessionId: string; userId: string; generation?: number; issuedAt: Date; expiresAt: Date };

const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/** Signs a token of `kind` with the keyring's newest key; `kid` names the key version. */
export async function signToken(keyring: Keyring, kind: TokenKind, input: TokenInput): Promise<string> {
  const key = keyring.current;
  return new SignJWT(kind === 'refresh' ? { gen: input.generation ?? 0 } : {})
    .setProtectedHeader({ alg: ALGORITHM, kid: key.kid, typ: KINDS[kind].typ })
    .setIssuer(ISSUER)
    .setAudience(KINDS[kind].audience)
    .setSubject(input.userId)
    .setJti(input.sessionId)
    .setIssuedAt(seconds(input.issuedAt))
    .setExpirationTime(seconds(input.expiresAt))
    .sign(await cryptoKeyOf(key));
}

/**
 * Verifies a token of `kind`: jose's jwtVerify with the algorithm, `typ`, audience, issuer,
 * required claims and clock tolerance pinned, the key looked up by `kid` in the keyring's Map,
 * then the claims read once with their zod schema. Returns null for anything that fails,
 * whatever the reason; it never throws on hostile input.
 *
 * The same access token comes back with every request for its 15 minutes, so one that passed is
 * remembered by its exact string (per keyring) and only its times are checked again: jose's
 * WebCrypto verification is paid once per token, not once per request.
 */
export async function verifyToken<K extends TokenKind>(
  keyring: Keyring,
  kind: K,
  token: string | undefined,
  now: Date = new Date(),
): Promise<ClaimsOf<K> | null> {
  if (!token || token.length > MAX_TOKEN_LENGTH) return null;
  if (kind !== 'access') return withinTime(await verifySignedToken(keyring, kind, token, now), now);
  const memo = verifiedAccessTokensOf(keyring);
  const remembered = memo.get(token) as ClaimsOf<K> | undefined;
  if (remembered !== undefined) return withinTime(remembered, now);
  const verified = await verifySignedToken(keyring, kind, token, now);
  if (verified) memo.set(token, Object.freeze(verified as AccessClaims));
  return withinTime(verified, now);
}

/**
 * The times of verified claims, checked on every use: expired (beyond the tolerance), issued in
 * the future or not yet valid is refused (T4). jose checks `exp` and `nbf` on first sight but
 * not a future `iat`, and a remembered token is never shown to it again.
 */
function withinTime<C extends AccessClaims | RefreshClaims>(claims: C | null, now: Date): C | null {
  if (!claims) return null;
  const at = now.getTime() / 1000;
  if (claims.exp <= at - CLOCK_TOLERANCE_SECONDS) return null;
  if (claims.iat > at + CLOCK_TOLERANCE_SECONDS) return null;
  if (claims.nbf !== undefined && claims.nbf > at + CLOCK_TOLERANCE_SECONDS) return null;
  return claims;
}

/** jose's verification, behind the refusals SECURITY.md asks for beyond it. */
async function verifySignedToken<K extends TokenKind>(keyring: Keyring, kind: K, token: string, now: Date): Promise<ClaimsOf<K> | null> {
  if (!isStrictCompactToken(token) || !hasStrictHeader(token, kind)) return null;
  try {
    const { payload } = await jwtVerify(token, (header: JWTHeaderParameters) => keyFor(keyring, header), {
      algorithms: [ALGORITHM],
      typ: KINDS[kind].typ,
      audience: KINDS[kind].audience,
      issuer: ISSUER,
      requiredClaims: REQUIRED_CLAIMS,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: now,
    });
    const claims = claimSchemas[kind].safeParse(payload);
    return claims.success ? (claims.data as ClaimsOf<K>) : null;
  } catch {
    return null;
  }
}

// Three unpadded base64url segments, the last exactly HS256's 32 bytes (43 characters).
const COMPACT_HS256 = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/;

/**
 * Compact serialization only, and only the canonical spelling of the signature: 43 characters
 * carry two spare bits, which jose's decoder ignores, so four spellings would pass for one token.
 */
function isStrictCompactToken(token: string): boolean {
  if (!COMPACT_HS256.test(token)) return false;
  const signature = token.slice(token.lastIndexOf('.') + 1);
  return Buffer.from(signature, 'base64url').toString('base64url') === signature;
}

/**
 * The header rules jose is more lenient about: `typ` must match exactly (jose ignores case and an
 * `application/` prefix), and `crit` is refused outright (jose honours `crit: ["b64"]`).
 */
function hasStrictHeader(token: string, kind: TokenKind): boolean {
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8'));
  } catch {
    return false;
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return false;
  return Object.hasOwn(header, 'typ') && (header as { typ?: unknown }).typ === KINDS[kind].typ && !Object.hasOwn(header, 'crit');
}

/**
 * The verification key for a header: only `kid`, and only through the keyring's Map (no prototype
 * keys, no paths). An embedded `jwk`, `jku` or `x5c` is never looked at.
 */
function keyFor(keyring: Keyring, header: JWTHeaderParameters): Promise<CryptoKey> {
  const key = typeof header.kid === 'string' ? keyring.byKid.get(header.kid) : undefined;
  if (!key) throw new Error('unknown key version');
  return cryptoKeyOf(key);
}

/** Each secret imported once as a WebCrypto HMAC key (jose would otherwise import it on every call). */
const cryptoKeys = new WeakMap<SigningKey, Promise<CryptoKey>>();

function cryptoKeyOf(key: SigningKey): Promise<CryptoKey> {
  let imported = cryptoKeys.get(key);
  if (!imported) {
    imported = crypto.subtle.importKey('raw', key.secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    cryptoKeys.set(key, imported);
  }
  return imported;
}

/**
 * Access tokens whose signature, header and claims passed, per keyring (a retired key is a new
 * keyring, so it takes its tokens' entries with it). Bounded: a flood of distinct valid tokens
 * costs verification again, never memory. A hit needs the exact string that was verified;
 * anything else goes to jose. It holds claims only, never session state (T7).
 */
export const MEMO_SIZE = 20_000;
const verifiedAccessTokens = new WeakMap<Keyring, BoundedMap<string, Readonly<AccessClaims>>>();

function verifiedAccessTokensOf(keyring: Keyring): BoundedMap<string, Readonly<AccessClaims>> {
  let memo = verifiedAccessTokens.get(keyring);
  if (!memo) {
    memo = new BoundedMap(MEMO_SIZE);
    verifiedAccessTokens.set(keyring, memo);
  }
  return memo;
}

/** Forgets every access token `keyring` verified (the benchmark times a token's first sight with it). */
export function forgetVerifiedTokens(keyring: Keyring): void {
  verifiedAccessTokens.get(keyring)?.clear();
}
