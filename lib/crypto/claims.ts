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

/** The rules, as zod schemas: a verified token's payload is read through these, never cast. */
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
