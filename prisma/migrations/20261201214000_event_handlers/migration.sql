-- Event handlers fed from the outbox: one job per (handler, event), written in the transaction that
-- publishes the event, run after commit, retried with backoff, dead-lettered after the last attempt.
CREATE TABLE "event_handler_jobs" (
    "id" BIGSERIAL NOT NULL,
    "handler" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "event_type" TEXT NOT NULL,
    "envelope" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "run_at" TIMESTAMPTZ(3) NOT NULL,
    "locked_until" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "event_handler_jobs_pkey" PRIMARY KEY ("id")
);

-- Idempotent by event id: the same event is handled once per handler, however often it is enqueued.
CREATE UNIQUE INDEX "event_handler_jobs_handler_event_id_key" ON "event_handler_jobs"("handler", "event_id");
CREATE INDEX "event_handler_jobs_status_run_at_idx" ON "event_handler_jobs"("status", "run_at");

-- Who did what, from the events (the audit-log handler writes it; the operator queries it).
CREATE TABLE "audit_log" (
    "event_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "user_id" TEXT,
    "subject" TEXT NOT NULL,
    "device_id" TEXT,
    "correlation_id" TEXT,
    "source" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("event_id")
);

CREATE INDEX "audit_log_user_id_occurred_at_idx" ON "audit_log"("user_id", "occurred_at");
CREATE INDEX "audit_log_occurred_at_idx" ON "audit_log"("occurred_at");
