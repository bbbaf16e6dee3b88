import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ISSUER, KINDS, readClaims, type AccessClaims, type ClaimsOf, type RefreshClaims, type TokenKind } from './claims';
import { BoundedMap } from '../bounded-map';
import type { Keyring, SigningKey } from './keys';

/**
 * Access and refresh JWTs: signing and verification, HS256 over node:crypto. Knows the claims
 * (./claims) and the keyring, nothing else: no database, no HTTP.
 */
export type { AccessClaims, RefreshClaims, TokenKind } from './claims';

const ALGORITHM = 'HS256'; // pinned: the only algorithm any key accepts
export const CLOCK_TOLERANCE_SECONDS = 5;
const MAX_TOKEN_LENGTH = 2048; // a real token is ~300 bytes; anything far larger is not ours

export type TokenInput = { sessionId: string; userId: string; generation?: number; issuedAt: Date; expiresAt: Date };

/** Signs a token of `kind` with the keyring's newest key; `kid` names the key version. */
export async function signToken(keyring: Keyring, kind: TokenKind, input: TokenInput): Promise<string> {
  return signTokenNow(keyring, kind, input);
}

/**
 * signToken without the promise. A compact JWS, HS256, written here rather than by jose's SignJWT
 * for the same reason as verifyTokenNow: jose 6 signs through async WebCrypto, and every refresh
 * signs two tokens. The header is always the exact string encodedHeader gives (the verifier's fast
 * path), and jose's jwtVerify accepts what this writes (tokens-verify.test.ts).
 */
export function signTokenNow(keyring: Keyring, kind: TokenKind, input: TokenInput): string {
  const key = keyring.current;
  const claims = {
    iss: ISSUER,
    aud: KINDS[kind].audience,
    sub: input.userId,
    jti: input.sessionId,
    iat: Math.floor(input.issuedAt.getTime() / 1000),
    exp: Math.floor(input.expiresAt.getTime() / 1000),
    ...(kind === 'refresh' ? { gen: input.generation ?? 0 } : {}),
  };
  const signingInput = `${encodedHeader(key, kind)}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${signingInput}.${createHmac('sha256', key.hmacKey).update(signingInput, 'ascii').digest('base64url')}`;
}

/**
 * Verifies a token of `kind`: pinned algorithm, known `kid` only, exact `typ`, audience and
 * issuer, `exp`/`iat`/`nbf` with a small tolerance, then the payload's shape. Returns null for
 * anything that fails, whatever the reason; it never throws on hostile input.
 */
export async function verifyToken<K extends TokenKind>(
  keyring: Keyring,
  kind: K,
  token: string | undefined,
  now: Date = new Date(),
): Promise<ClaimsOf<K> | null> {
  return verifyTokenNow(keyring, kind, token, now);
}

// Three unpadded base64url segments, the last exactly HS256's 32 bytes (43 characters).
const COMPACT_HS256 = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/;
const headerShape = z.object({ alg: z.literal(ALGORITHM), typ: z.string(), kid: z.string().max(64) });
const knownHeaders = new WeakMap<Keyring, Record<TokenKind, ReadonlyMap<string, SigningKey>>>();

const headers = new WeakMap<SigningKey, Record<TokenKind, string>>();

/** The exact encoded header Signet writes for `kind` under `key` (computed once per key). */
export function encodedHeader(key: SigningKey, kind: TokenKind): string {
  let known = headers.get(key);
  if (!known) {
    const encode = (k: TokenKind) => Buffer.from(JSON.stringify({ alg: ALGORITHM, kid: key.kid, typ: KINDS[k].typ })).toString('base64url');
    known = { access: encode('access'), refresh: encode('refresh') };
    headers.set(key, known);
  }
  return known[kind];
}

/**
 * verifyToken without the promise, for the per-request check. It is a synchronous HS256 check over
 * node:crypto rather than jose's jwtVerify: jose 6 verifies through WebCrypto, whose every call is
 * an async job on libuv's thread pool (~50 µs alone, far more when the CPU is busy), against a few
 * µs here. It accepts strictly less than jwtVerify with the same options (the tests compare the
 * two): one algorithm, no `crit`, canonical base64url, the signature checked before the payload.
 */
export function verifyTokenNow<K extends TokenKind>(keyring: Keyring, kind: K, token: string | undefined, now: Date): ClaimsOf<K> | null {
  if (!token || token.length > MAX_TOKEN_LENGTH) return null;
  if (kind !== 'access') return withinTime(verifySignedToken(keyring, kind, token), now);
  // The same access token comes back with every request for its 15 minutes: its signature is
  // checked once per keyring, then only its times (they depend on the clock, not on the token).
  const memo = verifiedAccessTokensOf(keyring);
  const remembered = memo.get(token) as ClaimsOf<K> | undefined;
  if (remembered !== undefined) return withinTime(remembered, now);
  const verified = verifySignedToken(keyring, kind, token);
  if (verified) memo.set(token, Object.freeze(verified as AccessClaims));
  return withinTime(verified, now);
}

/** The times of verified claims: expired (beyond the tolerance) or issued in the future is refused (T4). */
function withinTime<C extends AccessClaims | RefreshClaims>(claims: C | null, now: Date): C | null {
  if (!claims) return null;
  const seconds = now.getTime() / 1000;
  if (claims.exp <= seconds - CLOCK_TOLERANCE_SECONDS) return null;
  if (claims.iat > seconds + CLOCK_TOLERANCE_SECONDS) return null;
  if (claims.nbf !== undefined && claims.nbf > seconds + CLOCK_TOLERANCE_SECONDS) return null;
  return claims;
}

/**
 * Access tokens whose signature, header and claims passed, per keyring (a retired key is a new
 * keyring, so it takes its tokens' entries with it). Bounded: a flood of distinct valid tokens
 * costs verification again, never memory. A hit needs the exact string that was verified;
 * anything else is verified in full.
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

/** Forgets every access token `keyring` verified. */
export function forgetVerifiedTokens(keyring: Keyring): void {
  verifiedAccessTokens.get(keyring)?.clear();
}

/** How many access tokens `keyring` remembers as verified (tests: the memo stays bounded). */
export function rememberedTokenCount(keyring: Keyring): number {
  return verifiedAccessTokens.get(keyring)?.size ?? 0;
}

/** Signature, header and claims of a compact HS256 token, with no regard to the clock. */
function verifySignedToken<K extends TokenKind>(keyring: Keyring, kind: K, token: string): ClaimsOf<K> | null {
  if (!COMPACT_HS256.test(token)) return null;
  const firstDot = token.indexOf('.');
  const secondDot = token.length - 44;
  const headerPart = token.slice(0, firstDot);
  const key = knownHeadersOf(keyring)[kind].get(headerPart) ?? keyFromHeader(keyring, kind, headerPart);
  if (!key) return null;

  const signingInput = token.slice(0, secondDot);
  const signature = token.slice(secondDot + 1);
  const expected = createHmac('sha256', key.hmacKey).update(signingInput, 'ascii').digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  // 43 characters carry two spare bits; only the canonical spelling of the signature is accepted.
  if (given.toString('base64url') !== signature) return null;

  return readClaims(kind, decodeJson(token.slice(firstDot + 1, secondDot)));
}

/**
 * Every header this keyring signs, by kind: a Signet token's header is one of these strings, so
 * the usual case is one Map lookup instead of decoding, parsing and validating it.
 */
function knownHeadersOf(keyring: Keyring): Record<TokenKind, ReadonlyMap<string, SigningKey>> {
  let known = knownHeaders.get(keyring);
  if (!known) {
    const forKind = (kind: TokenKind) => new Map([...keyring.byKid.values()].map((key) => [encodedHeader(key, kind), key] as const));
    known = { access: forKind('access'), refresh: forKind('refresh') };
    knownHeaders.set(keyring, known);
  }
  return known;
}

/** Any other spelling of a header (key order, spacing, extra members) is decoded and checked in full. */
function keyFromHeader(keyring: Keyring, kind: TokenKind, headerPart: string): SigningKey | undefined {
  const rawHeader = decodeJson(headerPart);
  const header = headerShape.safeParse(rawHeader);
  // `crit` would name extensions this verifier does not implement (RFC 7515 §4.1.11): refuse.
  if (!header.success || header.data.typ !== KINDS[kind].typ || hasOwn(rawHeader, 'crit')) return undefined;
  // Only header.kid selects a key, and only from the Map: an embedded jwk/jku/x5c is ignored.
  return keyring.byKid.get(header.data.kid);
}

function decodeJson(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

function hasOwn(value: unknown, property: string): boolean {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, property);
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
