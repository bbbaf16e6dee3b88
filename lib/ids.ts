import { randomBytes, randomUUID } from 'node:crypto';

/** A session id (`jti`) or challenge id: 144 random bits, URL-safe. */
export function randomId(): string {
  return randomBytes(18).toString('base64url');
}

/** Ids for users and orgs, which carry no secret. */
export function newEntityId(): string {
  return randomUUID();
}

/** ISO 8601 UTC, the one timestamp format in the database. */
export function iso(date: Date): string {
  return date.toISOString();
}

export function addSeconds(date: Date, seconds: number): Date {
  return new Date(date.getTime() + seconds * 1000);
}
