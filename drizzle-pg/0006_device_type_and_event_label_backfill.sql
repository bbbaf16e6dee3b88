-- Custom SQL migration file, put your code below! --
-- Sessions from before device_type was recorded get the coarse type their label names, read the
-- way sign-up words a User-Agent ("<Browser> on <System>"); the app no longer guesses at read time.
UPDATE sessions SET device_type = CASE
  WHEN lower(device_label) LIKE '% on ios' OR lower(device_label) LIKE '% on ipados' OR lower(device_label) LIKE '% on android' THEN 'mobile'
  WHEN lower(device_label) LIKE '% on macos' OR lower(device_label) LIKE '% on windows' OR lower(device_label) LIKE '% on linux'
    OR lower(device_label) LIKE '% on chromeos' OR lower(device_label) LIKE '% on ubuntu' OR lower(device_label) LIKE '% on fedora'
    OR lower(device_label) LIKE '% on debian' THEN 'desktop'
  ELSE 'unknown'
END
WHERE device_type IS NULL;
--> statement-breakpoint
-- Events from before security_events.device_label kept the device's label in `detail` only.
UPDATE security_events SET device_label = detail
WHERE device_label IS NULL AND detail IS NOT NULL AND type IN ('sign_in', 'sign_out', 'session_revoked', 'admin_revoked');
