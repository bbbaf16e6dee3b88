CREATE TABLE "dbsc_challenges" (
	"challenge" text PRIMARY KEY NOT NULL,
	"session_id" text NOT NULL,
	"expires_at" text NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "dbsc_public_key" text;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "dbsc_bound_at" text;--> statement-breakpoint
ALTER TABLE "dbsc_challenges" ADD CONSTRAINT "dbsc_challenges_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dbsc_challenges_session_idx" ON "dbsc_challenges" USING btree ("session_id");