import { createHash, randomBytes } from 'node:crypto';
import type { AlertSession } from '../store/types';
import type { Context } from './context';

/**
 * The "Not you? Sign that device out" link of the new-device email (L11). Its token is 256
 * random bits, good for one purpose: ending the one session it was made for, once, without
 * signing in. Only its SHA-256 is stored, on that session's row, and every ending of the session
 * clears it. Opening the link only reads; the button on its page ends the session.
 */

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/; // base64url of 32 bytes

export type AlertToken = { token: string; hash: string };

export function newAlertToken(): AlertToken {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashAlertToken(token) };
}

/** A plain SHA-256 suffices: the token is random and long, so there is nothing to guess or precompute. */
function hashAlertToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function isWellFormedAlertToken(token: unknown): token is string {
  return typeof token === 'string' && TOKEN_PATTERN.test(token);
}

/** Where the email sends people: absolute when the origin is known, else the path itself. */
export function notYouLink(origin: string | null, token: string): string {
  return `${origin ? origin.replace(/\/$/, '') : ''}/not-you?token=${token}`;
}

/** The live session `token` still ends, for its page; null for a malformed, used or dead token. */
export async function findReportedSession({ store, now }: Context, token: unknown): Promise<AlertSession | null> {
  if (!isWellFormedAlertToken(token)) return null;
  return store.findAlertSession(hashAlertToken(token), now());
}

/** Ends the session `token` was made for (reason `reported`); false when there was none to end. */
export async function endReportedSession({ store, now }: Context, token: unknown): Promise<boolean> {
  if (!isWellFormedAlertToken(token)) return false;
  const result = await store.revoke({ kind: 'alert_link', tokenHash: hashAlertToken(token) }, 'reported', now());
  return result.ok && result.ended > 0;
}
