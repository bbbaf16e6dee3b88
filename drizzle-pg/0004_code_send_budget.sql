CREATE TABLE "code_send_budget" (
	"id" text PRIMARY KEY NOT NULL,
	"tokens" double precision NOT NULL,
	"refilled_at" text NOT NULL
);
