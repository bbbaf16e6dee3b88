import { describe, expect, it } from 'vitest';
import { at, kidOf } from '@/test/helpers';
import { randomId } from '../ids';
import { getKeyring, parseKeyring } from './keys';
import { signToken, verifyToken } from './tokens';

/**
 * The token module's own mechanics: what it signs comes back, and which key version signs and
 * verifies. What it refuses (SECURITY.md T1–T5) is proven against the whole session check in
 * test/security/tokens.test.ts, on SQLite and PostgreSQL.
 */
const NOW = new Date('2030-01-01T12:00:00.000Z');
const NOW_S = NOW.getTime() / 1000;
const input = (expiresAt = at(NOW, 900), issuedAt = NOW) => ({ sessionId: randomId(), userId: 'user-1', generation: 3, issuedAt, expiresAt });

describe('tokens: signing and verifying', () => {
  it('signToken round-trips its claims and names the signing key in kid', async () => {
    const data = input();
    const token = await signToken(getKeyring(), 'refresh', data);
    const verified = await verifyToken(getKeyring(), 'refresh', token, NOW);
    expect(verified).toMatchObject({ jti: data.sessionId, sub: 'user-1', gen: 3, iat: NOW_S, exp: NOW_S + 900 });
    expect(kidOf(token)).toBe('t2');
  });
});

describe('tokens: key versions', () => {
  it('a token signed by the older key t1 still verifies against the full keyring', async () => {
    const t1Entry = (process.env.SIGNET_KEYS ?? '').split(',').find((entry) => entry.startsWith('t1:'));
    const oldKeyring = parseKeyring(t1Entry ?? '');
    const token = await signToken(oldKeyring, 'access', input());
    expect(kidOf(token)).toBe('t1');
    expect(await verifyToken(getKeyring(), 'access', token, NOW)).not.toBeNull();
    // ...and a keyring that has dropped t2 refuses the newer key's tokens.
    expect(await verifyToken(oldKeyring, 'access', await signToken(getKeyring(), 'access', input()), NOW)).toBeNull();
  });
});
