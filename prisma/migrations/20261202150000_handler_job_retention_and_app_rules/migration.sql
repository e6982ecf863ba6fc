-- CreateTable
CREATE TABLE "app_notification_rules" (
    "tenant_id" TEXT NOT NULL,
    "app_id" TEXT NOT NULL,
    "event_type" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "priority" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "app_notification_rules_pkey" PRIMARY KEY ("app_id","event_type")
);

-- CreateIndex
CREATE INDEX "app_notification_rules_tenant_id_app_id_idx" ON "app_notification_rules"("tenant_id", "app_id");

-- CreateIndex
CREATE INDEX "event_handler_jobs_status_updated_at_idx" ON "event_handler_jobs"("status", "updated_at");
