import { describe, expect, it } from 'vitest';
import { afterUpgrade } from './older-release';

/**
 * The backfill that gives every existing person a personal org (drizzle/0004, drizzle-pg/0003):
 * the shapes of data the old app made, then the rest of the migrations, on the engine under test.
 */

const LEGACY = [
  // Alice signed up alone: her org becomes her personal org, name kept.
  "INSERT INTO users VALUES ('u-alice', 'alice@example.test', '2030-01-01T00:00:00.000Z')",
  "INSERT INTO orgs VALUES ('o-alice', 'alice''s org', '2030-01-01T00:00:00.000Z')",
  "INSERT INTO memberships VALUES ('u-alice', 'o-alice', 'owner', '2030-01-01T00:00:00.000Z')",
  // Bob signed up, then added Carol to his org: it is shared now, so Bob gets a new personal org.
  "INSERT INTO users VALUES ('u-bob', 'bob@example.test', '2030-01-01T00:00:00.000Z')",
  "INSERT INTO orgs VALUES ('o-bob', 'bob''s org', '2030-01-01T00:00:00.000Z')",
  "INSERT INTO memberships VALUES ('u-bob', 'o-bob', 'owner', '2030-01-01T00:00:00.000Z')",
  // Carol was added before she ever signed in: no org of her own at all.
  "INSERT INTO users VALUES ('u-carol', 'carol@example.test', '2030-01-02T00:00:00.000Z')",
  "INSERT INTO memberships VALUES ('u-carol', 'o-bob', 'member', '2030-01-02T00:00:00.000Z')",
];

type Row = { userId: string; orgId: string; name: string; role: string };
const PERSONAL = `SELECT o.personal_user_id AS "userId", o.id AS "orgId", o.name AS name, m.role AS role
  FROM orgs o JOIN memberships m ON m.org_id = o.id AND m.user_id = o.personal_user_id ORDER BY o.personal_user_id`;

function expectBackfilled(rows: Row[], orgCount: number): void {
  expect(rows.map((r) => [r.userId, r.name, r.role])).toEqual([
    ['u-alice', "alice's org", 'owner'],
    ['u-bob', "bob's org", 'owner'],
    ['u-carol', "carol's org", 'owner'],
  ]);
  expect(rows[0]?.orgId).toBe('o-alice');
  expect(rows[1]?.orgId).not.toBe('o-bob'); // shared with Carol: not Bob's alone
  expect(orgCount).toBe(4);
}

describe('personal org backfill', () => {
  it('every existing person owns exactly one personal org afterwards', async () => {
    const rows = await afterUpgrade<Row>(/org_invitations_and_personal_orgs$/, LEGACY, PERSONAL);
    const [orgs] = await afterUpgrade<{ n: number | string }>(/org_invitations_and_personal_orgs$/, LEGACY, 'SELECT count(*) AS n FROM orgs');
    expectBackfilled(rows, Number(orgs?.n));
  });
});
