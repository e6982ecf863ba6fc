-- The users' streams' outbox as its own narrow table (decision 61). Marking an entry published used to
-- rewrite its stream_events row: a new version of the whole row (with its envelope) and an entry in
-- each of its seven indexes, because the outbox's partial index reads published_at (no HOT update).
-- Now a commit inserts the entry's seq here with the entry, and publishing deletes it: one small row
-- and one index. An entry is unpublished exactly while its row is here.
CREATE TABLE "stream_outbox" (
    "seq" BIGINT NOT NULL,

    CONSTRAINT "stream_outbox_pkey" PRIMARY KEY ("seq")
);

-- No foreign key to stream_events: its check is a query planned once per connection, and planned on
-- an empty table it scans the whole table for every insert (measured: D's creates/s halved in two runs
-- of three). What deletes entries deletes their outbox rows first (a deleted user or tenant).

-- What was not published yet stays to be published.
INSERT INTO "stream_outbox" ("seq") SELECT "seq" FROM "stream_events" WHERE "published_at" IS NULL;

DROP INDEX "stream_events_outbox_idx";
ALTER TABLE "stream_events" DROP COLUMN "published_at";
