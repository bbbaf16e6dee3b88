-- Custom SQL migration file, put your code below! --
-- Every person has a personal org (issue 14). An org whose one member is its owner has been theirs
-- alone all along: each person's oldest such org becomes their personal org, keeping its name.
UPDATE orgs SET personal_user_id = (SELECT m.user_id FROM memberships m WHERE m.org_id = orgs.id)
WHERE orgs.id IN (
  SELECT (
    SELECT o.id FROM orgs o JOIN memberships m ON m.org_id = o.id
    WHERE m.user_id = u.id AND m.role = 'owner'
      AND (SELECT count(*) FROM memberships x WHERE x.org_id = o.id) = 1
    ORDER BY o.created_at, o.id LIMIT 1)
  FROM users u
);
--> statement-breakpoint
-- Everyone else (added to someone's org before their first sign-in, or sharing their first org
-- since) gets a new personal org, named the way sign-up names it: "<local part>'s org".
INSERT INTO orgs (id, name, created_at, personal_user_id)
SELECT
  lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-'
    || substr('89ab', 1 + abs(random()) % 4, 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))),
  substr(CASE WHEN instr(u.email, '@') > 0 THEN substr(u.email, 1, instr(u.email, '@') - 1) ELSE u.email END, 1, 48) || '''s org',
  strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
  u.id
FROM users u
WHERE NOT EXISTS (SELECT 1 FROM orgs o WHERE o.personal_user_id = u.id);
--> statement-breakpoint
INSERT INTO memberships (user_id, org_id, role, created_at)
SELECT o.personal_user_id, o.id, 'owner', o.created_at
FROM orgs o
WHERE o.personal_user_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = o.id AND m.user_id = o.personal_user_id);
