CREATE TABLE `dbsc_challenges` (
	`challenge` text PRIMARY KEY NOT NULL,
	`session_id` text NOT NULL,
	`expires_at` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `dbsc_challenges_session_idx` ON `dbsc_challenges` (`session_id`);--> statement-breakpoint
ALTER TABLE `sessions` ADD `dbsc_public_key` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `dbsc_bound_at` text;