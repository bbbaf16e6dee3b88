-- Custom SQL migration file, put your code below! --
-- Every person has a personal org (issue 14). An org whose one member is its owner has been theirs
-- alone all along: each person's oldest such org becomes their personal org, keeping its name.
UPDATE orgs SET personal_user_id = chosen.user_id
FROM (
  SELECT DISTINCT ON (m.user_id) m.user_id, o.id AS org_id
  FROM orgs o JOIN memberships m ON m.org_id = o.id
  WHERE m.role = 'owner' AND (SELECT count(*) FROM memberships x WHERE x.org_id = o.id) = 1
  ORDER BY m.user_id, o.created_at, o.id COLLATE "C"
) AS chosen
WHERE orgs.id = chosen.org_id;
--> statement-breakpoint
-- Everyone else (added to someone's org before their first sign-in, or sharing their first org
-- since) gets a new personal org, named the way sign-up names it: "<local part>'s org".
INSERT INTO orgs (id, name, created_at, personal_user_id)
SELECT
  gen_random_uuid()::text,
  left(split_part(u.email, '@', 1), 48) || '''s org',
  to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  u.id
FROM users u
WHERE NOT EXISTS (SELECT 1 FROM orgs o WHERE o.personal_user_id = u.id);
--> statement-breakpoint
INSERT INTO memberships (user_id, org_id, role, created_at)
SELECT o.personal_user_id, o.id, 'owner', o.created_at
FROM orgs o
WHERE o.personal_user_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = o.id AND m.user_id = o.personal_user_id);
