-- Issue #10: every tenant-owned table carries tenant_id (decision 0018). Existing rows are kept and
-- backfilled from their owner: the user (users.tenant_id) or the app (apps.tenant_id). Like the
-- sibling columns (notifications, push_subscriptions, apps …) there is no foreign key to tenants:
-- tenant deletion removes a tenant's rows explicitly, table by table (prisma-tenant.repository.ts),
-- now by these columns, which is what the tenant_id indexes below serve.

-- Login sessions and notification preferences: rows of one user.
ALTER TABLE "sessions" ADD COLUMN "tenant_id" TEXT;
UPDATE "sessions" s SET "tenant_id" = u."tenant_id" FROM "users" u WHERE u."id" = s."user_id";
ALTER TABLE "sessions" ALTER COLUMN "tenant_id" SET NOT NULL;
CREATE INDEX "sessions_tenant_id_user_id_idx" ON "sessions"("tenant_id", "user_id");

ALTER TABLE "notification_preferences" ADD COLUMN "tenant_id" TEXT;
UPDATE "notification_preferences" p SET "tenant_id" = u."tenant_id" FROM "users" u WHERE u."id" = p."user_id";
ALTER TABLE "notification_preferences" ALTER COLUMN "tenant_id" SET NOT NULL;
CREATE INDEX "notification_preferences_tenant_id_user_id_idx" ON "notification_preferences"("tenant_id", "user_id");

-- The badge counter. Its rows exist only for users with notifications (whose FK needs the user).
ALTER TABLE "notification_counters" ADD COLUMN "tenant_id" TEXT;
UPDATE "notification_counters" c SET "tenant_id" = u."tenant_id" FROM "users" u WHERE u."id" = c."user_id";
DELETE FROM "notification_counters" WHERE "tenant_id" IS NULL;
ALTER TABLE "notification_counters" ALTER COLUMN "tenant_id" SET NOT NULL;
CREATE INDEX "notification_counters_tenant_id_idx" ON "notification_counters"("tenant_id");

-- Stream heads: the tenant of the stream's events, nullable exactly like stream_events.tenant_id
-- (null only for streams written outside any tenant, by engine tests).
ALTER TABLE "user_streams" ADD COLUMN "tenant_id" TEXT;
UPDATE "user_streams" h SET "tenant_id" = u."tenant_id" FROM "users" u WHERE u."id" = h."user_id";
CREATE INDEX "user_streams_tenant_id_idx" ON "user_streams"("tenant_id");

-- The audit log: the event's tenant, nullable like events.tenant_id (an event outside any tenant).
ALTER TABLE "audit_log" ADD COLUMN "tenant_id" TEXT;
UPDATE "audit_log" a SET "tenant_id" = COALESCE(
  (SELECT u."tenant_id" FROM "users" u WHERE u."id" = a."user_id"),
  (SELECT e."tenant_id" FROM "events" e WHERE e."id" = a."event_id"));
-- The operator reads across tenants by user and by time (the existing indexes); a tenant's deletion by tenant.
CREATE INDEX "audit_log_tenant_id_occurred_at_idx" ON "audit_log"("tenant_id", "occurred_at");

-- An app's webhook subscriptions (owner is the app id). A subscription of an app that is gone can
-- never be delivered or read, so it cannot be backfilled and is removed (its deliveries cascade).
ALTER TABLE "webhook_subscriptions" ADD COLUMN "tenant_id" TEXT;
UPDATE "webhook_subscriptions" s SET "tenant_id" = a."tenant_id" FROM "apps" a WHERE a."id" = s."owner";
DELETE FROM "webhook_subscriptions" WHERE "tenant_id" IS NULL;
ALTER TABLE "webhook_subscriptions" ALTER COLUMN "tenant_id" SET NOT NULL;
CREATE INDEX "webhook_subscriptions_tenant_id_idx" ON "webhook_subscriptions"("tenant_id");

-- Idempotency keys of an app's publish requests (scope `app:<appId>:<operation>`). Keys of an app
-- that is gone can never be replayed; they are removed rather than left without a tenant.
ALTER TABLE "idempotency_keys" ADD COLUMN "tenant_id" TEXT;
UPDATE "idempotency_keys" k SET "tenant_id" = a."tenant_id" FROM "apps" a WHERE a."id" = split_part(k."scope", ':', 2);
DELETE FROM "idempotency_keys" WHERE "tenant_id" IS NULL;
ALTER TABLE "idempotency_keys" ALTER COLUMN "tenant_id" SET NOT NULL;
CREATE INDEX "idempotency_keys_tenant_id_idx" ON "idempotency_keys"("tenant_id");
