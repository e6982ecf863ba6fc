-- The retention job removes settled send records whose notification is gone (docs/notifications.md#channels):
-- it walks settled records by age through this partial index; pending ones (the worker's) are not in it.
CREATE INDEX "channel_deliveries_settled_updated_at_idx" ON "channel_deliveries" ("updated_at", "id") WHERE "status" <> 'pending';
