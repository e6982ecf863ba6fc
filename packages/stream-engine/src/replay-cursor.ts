/**
 * Where one device is in its user's stream: the last cursor it was given (delivered or passed over)
 * and the highest cursor it has seen arrive live. A live entry that does not follow the last cursor,
 * or a live entry seen while the log was being read, means the session must read the log again.
 */
export class ReplayCursor {
  private last = 0;
  private highestSeen = 0;

  /** The last cursor the device was given; it resumes after this one. */
  get position(): number {
    return this.last;
  }

  /** Places the cursor (at start, or past a hole retention left); never moves what was seen back. */
  moveTo(position: number): void {
    this.last = position;
    this.highestSeen = Math.max(this.highestSeen, position);
  }

  /** Remembers a live entry's cursor; a read that ends before it reads again. */
  saw(cursor: number): void {
    this.highestSeen = Math.max(this.highestSeen, cursor);
  }

  /** True when the device was already given `cursor` (or passed over it). */
  covers(cursor: number): boolean {
    return cursor <= this.last;
  }

  /** True when `cursor` is the very next one: it can go out without reading the log. */
  isNext(cursor: number): boolean {
    return cursor === this.last + 1;
  }

  /** Moves on to `cursor` if it lies ahead; false when the device already had it. */
  advanceTo(cursor: number): boolean {
    if (cursor <= this.last) return false;
    this.last = cursor;
    return true;
  }

  /** True when nothing seen live lies beyond the last cursor. */
  get isLevel(): boolean {
    return this.highestSeen <= this.last;
  }

  /** After a read found nothing more: what was seen live is covered, or will reveal itself again. */
  level(): void {
    this.highestSeen = this.last;
  }
}
