-- A notification made for the outbound channels only (the user muted in_app for its category but not
-- email, web push or the webhook): stored so the channel worker renders it from the row, never listed,
-- counted or streamed (decision 0049 part 2). Existing rows were all shown in the app.
ALTER TABLE "notifications" ADD COLUMN "in_app" BOOLEAN NOT NULL DEFAULT true;

-- The badge counts read only the inbox, which channel-only notifications are never in.
DROP INDEX "notifications_inbox_idx";
CREATE INDEX "notifications_inbox_idx" ON "notifications"("user_id")
    WHERE "in_app" AND "archived_at" IS NULL AND "snoozed_until" IS NULL AND "expired_at" IS NULL AND "deleted_at" IS NULL;
