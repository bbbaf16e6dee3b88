import { randomBytes } from 'node:crypto';
import { EmbeddedJWK, importJWK, jwtVerify, type JWTVerifyResult } from 'jose';
import { z } from 'zod';

/**
 * Device Bound Session Credentials (https://w3c.github.io/webappsec-dbsc/): the browser keeps a
 * private key per session and signs our challenges with it. Its proofs are compact JWS with header
 * `{"alg","typ":"dbsc+jwt"[,"jwk"]}` and payload `{"jti":"<challenge>"}`, verified by jose.
 * Registration's carries the public key it is signed with (EmbeddedJWK); a refresh's must verify
 * with the key stored at registration, and no other.
 */

/** What we offer, in order of preference; a proof's `alg` must be one of them, exactly. */
export const DBSC_ALGORITHMS = ['ES256', 'RS256'] as const;
type DbscAlgorithm = (typeof DBSC_ALGORITHMS)[number];
const DBSC_TYP = 'dbsc+jwt';

/** A fresh challenge: 256 random bits, base64url (a structured-header string needs no escaping). */
export function newDeviceChallenge(): string {
  return randomBytes(32).toString('base64url');
}
const MAX_PROOF_LENGTH = 8 * 1024; // an RSA-4096 JWK fits; anything longer is not a proof

const Payload = z.object({ jti: z.string().min(1).max(128) });
// Only the public members are kept: a stray private member ("d") is never stored.
const EcKey = z.object({ kty: z.literal('EC'), crv: z.literal('P-256'), x: z.string().max(64), y: z.string().max(64) });
const RsaKey = z.object({ kty: z.literal('RSA'), n: z.string().max(1024), e: z.string().max(16) });
const StoredKey = z.object({ alg: z.enum(DBSC_ALGORITHMS), jwk: z.union([EcKey, RsaKey]) });
type StoredKey = z.infer<typeof StoredKey>;

export type RegistrationProof = { ok: true; challenge: string; publicKey: string } | { ok: false };

const wellSized = (proof: string | null): proof is string => !!proof && proof.length <= MAX_PROOF_LENGTH;
const options = (algorithms: readonly DbscAlgorithm[]) => ({ typ: DBSC_TYP, algorithms: [...algorithms] });

/** The challenge a verified proof answers, with its header; null for anything else. */
async function answered(verifying: () => Promise<JWTVerifyResult>) {
  try {
    const verified = await verifying();
    // jose compares typ case-insensitively and without "application/": we want it exact too.
    if (verified.protectedHeader.typ !== DBSC_TYP) return null;
    const payload = Payload.safeParse(verified.payload);
    return payload.success ? { challenge: payload.data.jti, header: verified.protectedHeader } : null;
  } catch {
    return null; // bad signature, alg outside the list (none included), malformed: all one answer
  }
}

/** Verifies a registration proof with the key it embeds; returns the challenge and that key to store. */
export async function verifyRegistrationProof(proof: string | null): Promise<RegistrationProof> {
  if (!wellSized(proof)) return { ok: false };
  const verified = await answered(() => jwtVerify(proof, EmbeddedJWK, options(DBSC_ALGORITHMS)));
  if (!verified) return { ok: false };
  const key = StoredKey.safeParse({ alg: verified.header.alg, jwk: verified.header.jwk });
  if (!key.success) return { ok: false };
  return { ok: true, challenge: verified.challenge, publicKey: JSON.stringify(key.data) };
}

/** Verifies a refresh proof with the session's stored key only; returns the challenge it answers. */
export async function verifyRefreshProof(proof: string | null, storedKey: string): Promise<string | null> {
  let stored: StoredKey;
  try {
    stored = StoredKey.parse(JSON.parse(storedKey));
  } catch {
    return null;
  }
  if (!wellSized(proof)) return null;
  const key = await importJWK(stored.jwk, stored.alg);
  return (await answered(() => jwtVerify(proof, key, options([stored.alg]))))?.challenge ?? null;
}
