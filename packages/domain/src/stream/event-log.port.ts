import type { StreamEntry } from './stream-entry.js';

/** Read side of the durable per-user streams. */
export interface EventLog {
  /** Entries of `userId` with cursor > `after`, ascending, at most `limit`. */
  readAfter(userId: string, after: number, limit: number): Promise<readonly StreamEntry[]>;
  /** Highest cursor of the user's stream; 0 when empty. */
  headCursor(userId: string): Promise<number>;
  /**
   * Lowest cursor still retained for the user (older ones were cleaned up), or null when nothing was
   * ever removed. A client behind it must reload state.
   */
  oldestRetainedCursor(userId: string): Promise<number | null>;
}
