-- Apps, API keys, installations, app-declared event types, idempotency keys, and one row per event.
-- CreateTable
CREATE TABLE "apps" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "apps_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "app_id" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "scopes" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "app_installations" (
    "tenant_id" TEXT NOT NULL,
    "app_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "app_installations_pkey" PRIMARY KEY ("app_id","user_id")
);

-- CreateTable
CREATE TABLE "app_event_types" (
    "tenant_id" TEXT NOT NULL,
    "app_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "schema" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "app_event_types_pkey" PRIMARY KEY ("app_id","type","version")
);

-- CreateTable
CREATE TABLE "idempotency_keys" (
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "response" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("scope","key")
);

-- CreateTable
CREATE TABLE "events" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT,
    "app_id" TEXT,
    "type" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "envelope" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "apps_tenant_id_created_at_id_idx" ON "apps"("tenant_id", "created_at", "id");

-- CreateIndex
CREATE UNIQUE INDEX "apps_tenant_id_slug_key" ON "apps"("tenant_id", "slug");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_prefix_key" ON "api_keys"("prefix");

-- CreateIndex
CREATE INDEX "api_keys_app_id_idx" ON "api_keys"("app_id");

-- CreateIndex
CREATE INDEX "app_installations_user_id_idx" ON "app_installations"("user_id");

-- CreateIndex
CREATE INDEX "idempotency_keys_created_at_idx" ON "idempotency_keys"("created_at");

-- CreateIndex
CREATE INDEX "events_tenant_id_created_at_id_idx" ON "events"("tenant_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "events_app_id_created_at_id_idx" ON "events"("app_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "events_created_at_id_idx" ON "events"("created_at", "id");


-- CreateIndex
CREATE INDEX "stream_events_event_id_idx" ON "stream_events"("event_id");

-- Events stored before this migration: one row each, from the first recipient's copy.
INSERT INTO "events" ("id", "tenant_id", "app_id", "type", "subject", "envelope", "created_at")
SELECT DISTINCT ON ("event_id") "event_id", "tenant_id", "envelope"->>'appid', "type", COALESCE("envelope"->>'subject', ''), "envelope", "created_at"
FROM "stream_events"
ORDER BY "event_id", "seq";
