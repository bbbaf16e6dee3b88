import { createHmac } from 'node:crypto';
import { checkAccessToken, type CheckResult } from '@/lib/auth/check';
import type { Context } from '@/lib/auth/context';
import type { Actor } from '@/lib/auth/devices';
import { rotateRefreshToken, type RefreshResult } from '@/lib/auth/refresh';
import { contextAt } from '@/test/helpers';
import { orgOf } from '@/test/org-fixtures';

/**
 * The security tests' shared tools: the session check and the refresh as a request at `now` runs
 * them, the acting person of a session, hostile tokens built byte by byte, and what the database
 * then holds. The token builders are also the lib/crypto unit tests' only way to hand-make a token.
 */

/** The per-request session check at `now`, on this file's store (`overrides`: another keyring, policy or store). */
export async function check(token: string | undefined, now: Date, overrides: Partial<Context> = {}): Promise<CheckResult> {
  return checkAccessToken(await contextAt(now, overrides), token);
}

/** POST /refresh at `now`, on this file's store. */
export async function rotate(token: string | undefined, now: Date, overrides: Partial<Context> = {}): Promise<RefreshResult> {
  return rotateRefreshToken(await contextAt(now, overrides), token);
}

/** The signed-in person acting from `session`, in the org that session works in. */
export async function actorOf(session: { userId: string; sessionId: string }): Promise<Actor> {
  return { userId: session.userId, sessionId: session.sessionId, orgId: await orgOf(session.sessionId) };
}

export const TYP = { access: 'signet-access+jwt', refresh: 'signet-refresh+jwt' } as const;

export const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export type Parts = { header: Record<string, unknown>; payload: Record<string, unknown>; signature: string };

/** Splits a compact JWT into its decoded header and payload (and the raw signature). */
export function decode(token: string): Parts {
  const [header = '', payload = '', signature = ''] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Parts['header'],
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Parts['payload'],
    signature,
  };
}

/**
 * A compact JWT with any header and payload (any JSON, not only objects), HMAC-signed with
 * `secret`, or with an empty signature when `secret` is null.
 */
export function forge(header: unknown, payload: unknown, secret: Uint8Array | null, hash = 'sha256'): string {
  const input = `${encode(header)}.${encode(payload)}`;
  if (!secret) return `${input}.`;
  return `${input}.${createHmac(hash, secret).update(input).digest('base64url')}`;
}

/** Re-signs a real token after `change` edits its decoded header and payload. */
export function resign(token: string, secret: Uint8Array, change: (parts: Parts) => void, hash = 'sha256'): string {
  const parts = decode(token);
  change(parts);
  return forge(parts.header, parts.payload, secret, hash);
}

/** Every variant of `token` with exactly one bit flipped in one decoded byte of one segment. */
export function flippedVariants(token: string): string[] {
  const segments = token.split('.');
  const variants: string[] = [];
  segments.forEach((segment, index) => {
    const bytes = Buffer.from(segment, 'base64url');
    for (let i = 0; i < bytes.length; i += 1) {
      const copy = Buffer.from(bytes);
      copy[i] = (copy[i] ?? 0) ^ 0x01;
      const next = [...segments];
      next[index] = copy.toString('base64url');
      variants.push(next.join('.'));
    }
  });
  return variants;
}

export { sessionRow } from '@/test/inspect';
