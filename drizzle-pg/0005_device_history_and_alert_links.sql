ALTER TABLE "security_events" ADD COLUMN "device_label" text;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "revoked_from_label" text;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "alert_token_hash" text;--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_alert_token_idx" ON "sessions" USING btree ("alert_token_hash") WHERE alert_token_hash IS NOT NULL;