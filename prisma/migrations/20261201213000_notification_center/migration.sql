-- The notification center's model: category, source, action, expiry and group key, and the per-user
-- state as timestamps instead of one status. Existing rows keep their meaning: read/clicked become
-- read (and seen) at their last update, dismissed becomes archived (and seen).
ALTER TABLE "notifications"
    ADD COLUMN "category" TEXT NOT NULL DEFAULT 'test',
    ADD COLUMN "source" TEXT NOT NULL DEFAULT 'user',
    ADD COLUMN "action" JSONB,
    ADD COLUMN "expires_at" TIMESTAMPTZ(3),
    ADD COLUMN "group_key" TEXT,
    ADD COLUMN "seen_at" TIMESTAMPTZ(3),
    ADD COLUMN "read_at" TIMESTAMPTZ(3),
    ADD COLUMN "clicked_at" TIMESTAMPTZ(3),
    ADD COLUMN "archived_at" TIMESTAMPTZ(3),
    ADD COLUMN "snoozed_until" TIMESTAMPTZ(3),
    ADD COLUMN "expired_at" TIMESTAMPTZ(3),
    ADD COLUMN "deleted_at" TIMESTAMPTZ(3);

UPDATE "notifications" SET "seen_at" = "updated_at", "read_at" = "updated_at" WHERE "status" IN ('read', 'clicked');
UPDATE "notifications" SET "clicked_at" = "updated_at" WHERE "status" = 'clicked';
UPDATE "notifications" SET "seen_at" = "updated_at", "archived_at" = "updated_at" WHERE "status" = 'dismissed';

ALTER TABLE "notifications" DROP COLUMN "status";
ALTER TABLE "notifications" ALTER COLUMN "category" DROP DEFAULT, ALTER COLUMN "source" DROP DEFAULT;

-- One row per user: its lock serializes the user's notification changes, its version only grows.
CREATE TABLE "notification_counters" (
    "user_id" TEXT NOT NULL,
    "version" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "notification_counters_pkey" PRIMARY KEY ("user_id")
);

-- Hand-written partial indexes (Prisma 6 cannot declare them and leaves them alone when diffing):
-- the badge counts read only the inbox; the expiry worker reads only what may become due.
CREATE INDEX "notifications_inbox_idx" ON "notifications"("user_id")
    WHERE "archived_at" IS NULL AND "snoozed_until" IS NULL AND "expired_at" IS NULL AND "deleted_at" IS NULL;
CREATE INDEX "notifications_expiry_idx" ON "notifications"("expires_at")
    WHERE "expires_at" IS NOT NULL AND "expired_at" IS NULL AND "deleted_at" IS NULL;
CREATE INDEX "notifications_snooze_idx" ON "notifications"("snoozed_until") WHERE "snoozed_until" IS NOT NULL;
