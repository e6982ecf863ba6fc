-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "users" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notifications" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "priority" TEXT NOT NULL,
    "data" JSONB,
    "status" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "user_streams" (
    "user_id" TEXT NOT NULL,
    "head_cursor" BIGINT NOT NULL DEFAULT 0,
    "trimmed_through" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "user_streams_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "stream_events" (
    "seq" BIGSERIAL NOT NULL,
    "user_id" TEXT NOT NULL,
    "cursor" BIGINT NOT NULL,
    "event_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "envelope" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT clock_timestamp(),
    "published_at" TIMESTAMPTZ(3),

    CONSTRAINT "stream_events_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "notifications_user_id_created_at_id_idx" ON "notifications"("user_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "stream_events_created_at_idx" ON "stream_events"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "stream_events_user_id_cursor_key" ON "stream_events"("user_id", "cursor");

-- CreateIndex
CREATE UNIQUE INDEX "stream_events_user_id_event_id_key" ON "stream_events"("user_id", "event_id");

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: Prisma 6 cannot declare partial indexes (and leaves them alone when diffing).
-- The relay's "unpublished rows in seq order" scan reads only pending rows, however long the log grows.
CREATE INDEX "stream_events_outbox_idx" ON "stream_events"("seq") WHERE "published_at" IS NULL;
