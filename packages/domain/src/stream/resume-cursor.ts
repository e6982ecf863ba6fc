/** Why a client's cursor cannot be resumed from as is. */
export type ResumeProblem = 'cursor_expired' | 'cursor_unknown';

/**
 * Whether a stream can continue right after `cursor`: not when retention removed entries after it
 * (the oldest retained is further on), nor when the cursor is ahead of the stream's head (it came
 * from elsewhere). Either way the client must reload state, and is told so (`stream.reset`).
 */
export function resumeProblemOf(cursor: number, headCursor: number, oldestRetainedCursor: number | null): ResumeProblem | null {
  if (oldestRetainedCursor !== null && cursor < oldestRetainedCursor - 1) return 'cursor_expired';
  if (cursor > headCursor) return 'cursor_unknown';
  return null;
}
