-- CreateTable
CREATE TABLE "tenant_streams" (
    "tenant_id" TEXT NOT NULL,
    "head_cursor" BIGINT NOT NULL DEFAULT 0,
    "trimmed_through" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "tenant_streams_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateTable
CREATE TABLE "tenant_stream_events" (
    "seq" BIGSERIAL NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "cursor" BIGINT NOT NULL,
    "event_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "envelope" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT clock_timestamp(),
    "published_at" TIMESTAMPTZ(3),

    CONSTRAINT "tenant_stream_events_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE INDEX "tenant_stream_events_created_at_idx" ON "tenant_stream_events"("created_at");

-- CreateIndex
CREATE INDEX "tenant_stream_events_event_id_idx" ON "tenant_stream_events"("event_id");

-- CreateIndex
CREATE UNIQUE INDEX "tenant_stream_events_tenant_id_cursor_key" ON "tenant_stream_events"("tenant_id", "cursor");

-- CreateIndex
CREATE UNIQUE INDEX "tenant_stream_events_tenant_id_event_id_key" ON "tenant_stream_events"("tenant_id", "event_id");

-- The relay's scan of unpublished broadcasts reads only pending rows (Prisma cannot declare partial indexes).
CREATE INDEX "tenant_stream_events_outbox_idx" ON "tenant_stream_events"("seq") WHERE "published_at" IS NULL;
