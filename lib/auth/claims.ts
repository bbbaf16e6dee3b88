import { z } from 'zod';

/**
 * What a Signet token claims. The two kinds differ in `typ` and audience, so neither can stand in
 * for the other (RFC 8725 §3.11). Knows nothing of keys, signatures, the database or HTTP.
 */
export type TokenKind = 'access' | 'refresh';

export const KINDS = {
  access: { typ: 'signet-access+jwt', audience: 'signet:access' },
  refresh: { typ: 'signet-refresh+jwt', audience: 'signet:refresh' },
} as const;

export const ISSUER = 'signet';

/** The rules, as zod schemas: the specification that readClaims implements (a test compares them). */
const baseClaims = z.object({
  iss: z.literal(ISSUER),
  sub: z.string().min(1).max(64),
  jti: z.string().min(22).max(64),
  iat: z.number().int(),
  exp: z.number().int(),
  nbf: z.number().optional(), // never issued by Signet, but honoured if present, as jose would
});
export const claimSchemas = {
  access: baseClaims.extend({ aud: z.literal(KINDS.access.audience) }),
  refresh: baseClaims.extend({ aud: z.literal(KINDS.refresh.audience), gen: z.number().int().min(0) }),
} as const;

export type AccessClaims = z.infer<typeof claimSchemas.access>;
export type RefreshClaims = z.infer<typeof claimSchemas.refresh>;
export type ClaimsOf<K extends TokenKind> = K extends 'access' ? AccessClaims : RefreshClaims;

/**
 * The claims of a verified token's payload, or null: the same rules as `claimSchemas`, checked by
 * hand. This runs on every request, and on a busy server zod's general-purpose parser was the
 * largest single cost of the session check (~70 µs of ~170 µs, bench/RESULTS.md); a few typeof
 * checks cost next to nothing. Only the declared claims are returned, as zod would.
 */
export function readClaims<K extends TokenKind>(kind: K, payload: unknown): ClaimsOf<K> | null {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
  if (!('iss' in payload && 'sub' in payload && 'jti' in payload && 'iat' in payload && 'exp' in payload && 'aud' in payload)) return null;
  const { iss, sub, jti, iat, exp, aud } = payload;
  if (iss !== ISSUER || !isBoundedString(sub, 1, 64) || !isBoundedString(jti, 22, 64) || !isInteger(iat) || !isInteger(exp)) return null;
  const nbf = 'nbf' in payload ? payload.nbf : undefined;
  if (nbf !== undefined && !isFiniteNumber(nbf)) return null;
  const base: Omit<AccessClaims, 'aud'> = { iss: ISSUER, sub, jti, iat, exp, ...(nbf === undefined ? {} : { nbf }) };
  if (kind === 'access') {
    if (aud !== KINDS.access.audience) return null;
    const claims: AccessClaims = { ...base, aud };
    return claims as ClaimsOf<K>;
  }
  const gen = 'gen' in payload ? payload.gen : undefined;
  if (aud !== KINDS.refresh.audience || !isInteger(gen) || gen < 0) return null;
  const claims: RefreshClaims = { ...base, aud, gen };
  return claims as ClaimsOf<K>;
}

function isBoundedString(value: unknown, min: number, max: number): value is string {
  return typeof value === 'string' && value.length >= min && value.length <= max;
}

/** zod 4's int(): a safe integer. */
function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/** zod 4's number(): finite (JSON.parse turns 1e400 into Infinity). */
function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
