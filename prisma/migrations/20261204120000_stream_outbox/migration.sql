-- The users' streams' outbox as its own narrow table (decision 61). Marking an entry published used to
-- rewrite its stream_events row: a new version of the whole row (with its envelope) and an entry in
-- each of its seven indexes, because the outbox's partial index reads published_at (no HOT update).
-- Now a commit inserts the entry's seq here with the entry, and publishing deletes it: one small row
-- and one index. An entry is unpublished exactly while its row is here.
CREATE TABLE "stream_outbox" (
    "seq" BIGINT NOT NULL,

    CONSTRAINT "stream_outbox_pkey" PRIMARY KEY ("seq")
);

-- Deleting an entry (a deleted user or tenant) takes its outbox row with it.
ALTER TABLE "stream_outbox" ADD CONSTRAINT "stream_outbox_seq_fkey" FOREIGN KEY ("seq") REFERENCES "stream_events"("seq") ON DELETE CASCADE ON UPDATE CASCADE;

-- What was not published yet stays to be published.
INSERT INTO "stream_outbox" ("seq") SELECT "seq" FROM "stream_events" WHERE "published_at" IS NULL;

DROP INDEX "stream_events_outbox_idx";
ALTER TABLE "stream_events" DROP COLUMN "published_at";
