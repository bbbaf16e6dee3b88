CREATE TABLE `org_invitations` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`email` text NOT NULL,
	`role` text NOT NULL,
	`token_hash` text NOT NULL,
	`invited_by` text NOT NULL,
	`status` text NOT NULL,
	`mailed` integer NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`resolved_at` text,
	FOREIGN KEY (`org_id`) REFERENCES `orgs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`invited_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "org_invitations_role_check" CHECK("org_invitations"."role" IN ('owner', 'admin', 'member')),
	CONSTRAINT "org_invitations_status_check" CHECK("org_invitations"."status" IN ('pending', 'accepted', 'declined', 'revoked', 'expired'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `org_invitations_token_idx` ON `org_invitations` (`token_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `org_invitations_pending_idx` ON `org_invitations` (`org_id`,`email`) WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX `org_invitations_org_idx` ON `org_invitations` (`org_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `org_invitations_email_idx` ON `org_invitations` (`email`,`created_at`);--> statement-breakpoint
CREATE INDEX `org_invitations_expiry_idx` ON `org_invitations` (`expires_at`) WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX `org_invitations_resolved_idx` ON `org_invitations` (`resolved_at`) WHERE resolved_at IS NOT NULL;--> statement-breakpoint
ALTER TABLE `orgs` ADD `personal_user_id` text REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `orgs` ADD `deleted_at` text;--> statement-breakpoint
CREATE UNIQUE INDEX `orgs_personal_user_idx` ON `orgs` (`personal_user_id`);