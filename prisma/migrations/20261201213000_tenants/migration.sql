-- Tenants. Rows that exist already (a database from before tenants) move to the seeded `demo` tenant,
-- whose id is fixed so the demo seed finds it (apps/api/src/demo-users.ts).

CREATE TABLE "tenants" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "tenants_pkey" PRIMARY KEY ("id")
);

INSERT INTO "tenants" ("id", "name", "created_at")
SELECT '00000000-0000-4000-8000-000000000001', 'demo', now()
WHERE EXISTS (SELECT 1 FROM "users");

ALTER TABLE "users" ADD COLUMN "tenant_id" TEXT,
    ADD COLUMN "external_id" TEXT,
    ADD COLUMN "disabled_at" TIMESTAMPTZ(3),
    ALTER COLUMN "password_hash" DROP NOT NULL;
UPDATE "users" SET "tenant_id" = '00000000-0000-4000-8000-000000000001';
ALTER TABLE "users" ALTER COLUMN "tenant_id" SET NOT NULL;

ALTER TABLE "notifications" ADD COLUMN "tenant_id" TEXT;
UPDATE "notifications" n SET "tenant_id" = u."tenant_id" FROM "users" u WHERE u."id" = n."user_id";
ALTER TABLE "notifications" ALTER COLUMN "tenant_id" SET NOT NULL;

ALTER TABLE "stream_events" ADD COLUMN "tenant_id" TEXT;
UPDATE "stream_events" e SET "tenant_id" = u."tenant_id" FROM "users" u WHERE u."id" = e."user_id";

-- CreateIndex
CREATE UNIQUE INDEX "users_tenant_id_external_id_key" ON "users"("tenant_id", "external_id");
CREATE INDEX "users_tenant_id_created_at_id_idx" ON "users"("tenant_id", "created_at", "id");
CREATE INDEX "stream_events_tenant_id_created_at_idx" ON "stream_events"("tenant_id", "created_at");
