import { describe, expect, it } from 'vitest';
import { at, contextAt, POLICY, signIn, uniqueEmail } from '@/test/helpers';
import { getKeyring } from '../crypto/keys';
import { listDevices } from './devices';
import { rotateRefreshToken } from './refresh';
import { sessionRow } from '@/test/inspect';

/**
 * What one rotation writes. Rotation, reuse detection, the grace window, concurrency and the
 * absolute end (L3–L5) are proven in test/security/lifecycle.test.ts, on both engines.
 */
const T0 = new Date('2030-07-01T08:00:00.000Z');

describe('refresh: one rotation', () => {
  it('moves the generation, the access expiry, the last activity and the key version, and revokes nothing', async () => {
    const session = await signIn(uniqueEmail('rotation'), T0);
    const now = at(T0, 120);
    expect(await rotateRefreshToken(await contextAt(now), session.tokens.refreshToken)).toMatchObject({ ok: true, rotated: true });
    expect(await sessionRow(session.sessionId)).toMatchObject({
      refreshGeneration: 1,
      refreshRotatedAt: now.toISOString(),
      accessExpiresAt: at(now, POLICY.accessTtlSeconds).toISOString(),
      lastSeenAt: now.toISOString(),
      kid: getKeyring().current.kid,
      revokedAt: null,
    });
    // The security page shows the refresh as activity.
    const { live } = await listDevices(await contextAt(now), session.userId, session.sessionId);
    expect(live[0]?.lastActiveAt).toBe(now.toISOString());
  });
});
