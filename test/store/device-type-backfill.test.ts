import { describe, expect, it } from 'vitest';
import { afterUpgrade } from './older-release';

/**
 * The backfill that records a device type for sessions from before it was kept, and moves old
 * events' device label out of `detail` (drizzle/0007, drizzle-pg/0006), on the engine under test.
 */

const SESSION = (id: string, label: string, type: string | null) =>
  `INSERT INTO sessions (id, user_id, org_id, kid, device_fingerprint, device_label, device_type, access_expires_at, refresh_expires_at, refresh_rotated_at, refresh_generation, created_at, last_seen_at, persistent)
   VALUES ('${id}', 'u-1', 'o-1', 'k1', '${'f'.repeat(64)}', '${label}', ${type ? `'${type}'` : 'NULL'}, '2030-01-01T00:15:00.000Z', '2030-01-31T00:00:00.000Z', '2030-01-01T00:00:00.000Z', 0, '2030-01-01T00:00:00.000Z', '2030-01-01T00:00:00.000Z', TRUE)`;

const EVENT = (type: string, detail: string, label: string | null) =>
  `INSERT INTO security_events (type, user_id, org_id, session_id, detail, device_label, created_at)
   VALUES ('${type}', 'u-1', 'o-1', 's-phone', '${detail}', ${label ? `'${label}'` : 'NULL'}, '2030-01-01T00:00:00.000Z')`;

const LEGACY = [
  "INSERT INTO users (id, email, created_at) VALUES ('u-1', 'one@example.test', '2030-01-01T00:00:00.000Z')",
  "INSERT INTO orgs (id, name, created_at, personal_user_id) VALUES ('o-1', 'one''s org', '2030-01-01T00:00:00.000Z', 'u-1')",
  "INSERT INTO memberships (user_id, org_id, role, created_at) VALUES ('u-1', 'o-1', 'owner', '2030-01-01T00:00:00.000Z')",
  SESSION('s-phone', 'Safari on iOS', null),
  SESSION('s-tablet', 'Chrome on Android', null),
  SESSION('s-mac', 'Chrome on macOS', null),
  SESSION('s-pc', 'Firefox on Windows', null),
  SESSION('s-named', 'Work laptop', null),
  SESSION('s-kept', 'Safari on iOS', 'tablet'), // recorded at sign-in: never guessed over
  EVENT('sign_in', 'Safari on iOS', null),
  EVENT('device_renamed', 'Anna’s phone', null), // detail is the new name here, not the device
  EVENT('sign_out', 'Old words', 'Chrome on macOS'), // recorded with its label: kept
];

const BACKFILL = /device_type_and_event_label_backfill$/;

describe('device type backfill', () => {
  it('a session without a recorded type gets the one its "Browser on System" label names, else unknown; a recorded type stays', async () => {
    const rows = await afterUpgrade<{ id: string; type: string }>(BACKFILL, LEGACY, 'SELECT id, device_type AS type FROM sessions ORDER BY id');
    expect(Object.fromEntries(rows.map((row) => [row.id, row.type]))).toEqual({
      's-kept': 'tablet',
      's-mac': 'desktop',
      's-named': 'unknown',
      's-pc': 'desktop',
      's-phone': 'mobile',
      's-tablet': 'mobile',
    });
  });

  it('an old event of a device keeps its label where the activity reads it; other events are untouched', async () => {
    const rows = await afterUpgrade<{ type: string; label: string | null }>(BACKFILL, LEGACY, 'SELECT type, device_label AS label FROM security_events ORDER BY id');
    expect(rows).toEqual([
      { type: 'sign_in', label: 'Safari on iOS' },
      { type: 'device_renamed', label: null },
      { type: 'sign_out', label: 'Chrome on macOS' },
    ]);
  });
});
