-- AlterTable
ALTER TABLE "notification_preferences" ADD COLUMN     "webhook" BOOLEAN;

-- CreateTable
CREATE TABLE "channel_deliveries" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "notification_id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "reason" TEXT,
    "digest_key" TEXT,
    "attempts" JSONB NOT NULL DEFAULT '[]',
    "next_attempt_at" TIMESTAMPTZ(3),
    "locked_until" TIMESTAMPTZ(3),
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "channel_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "channel_deliveries_tenant_id_created_at_id_idx" ON "channel_deliveries"("tenant_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "channel_deliveries_digest_key_idx" ON "channel_deliveries"("digest_key");

-- CreateIndex
CREATE UNIQUE INDEX "channel_deliveries_notification_id_channel_key" ON "channel_deliveries"("notification_id", "channel");

-- The channel worker's due queue: only pending rows, by due time (Prisma cannot declare partial indexes).
CREATE INDEX "channel_deliveries_due_idx" ON "channel_deliveries" ("next_attempt_at") WHERE "status" = 'pending';
