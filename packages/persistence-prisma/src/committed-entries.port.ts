import type { StreamEntry } from '@pushline/domain';

/**
 * Told about the stream entries a unit of work wrote, right after its transaction committed. The outbox
 * relay implements it (its fast path); `PrismaOutbox` connects the two, so no app wires a callback.
 * Must not throw or block: the work is committed and is reported done whatever happens here.
 */
export interface CommittedEntriesListener {
  onCommitted(entries: readonly StreamEntry[]): void;
}

/** For a unit of work on its own (tests, scripts): the relay's poll still publishes everything. */
export const NO_COMMIT_LISTENER: CommittedEntriesListener = { onCommitted: () => {} };
