ALTER TABLE `security_events` ADD `device_label` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `revoked_from_label` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `alert_token_hash` text;--> statement-breakpoint
CREATE UNIQUE INDEX `sessions_alert_token_idx` ON `sessions` (`alert_token_hash`) WHERE alert_token_hash IS NOT NULL;