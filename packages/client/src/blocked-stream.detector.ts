import type { Timer } from './platform.js';
import type { StreamPosition } from './stream-position.js';

export const DEFAULT_FALLBACK = { openTimeoutMs: 10_000, stallCheckMs: 20_000 } as const;

/**
 * Notices a stream that a proxy blocks or buffers, by evidence rather than by guess: REST answers but
 * the stream does not open in time, or the server's head cursor moves on twice in a row while the open
 * stream stays silent. Either way `onBlocked` switches the client to polling.
 */
export class BlockedStreamDetector {
  private openTimer: Timer | undefined;
  private stallTimer: Timer | undefined;
  private framesSinceCheck = 0;
  private baseline: number | null = null;
  private suspectedHead: number | null = null;

  constructor(
    private readonly headCursor: () => Promise<number | null>,
    private readonly position: StreamPosition,
    private readonly options: { openTimeoutMs: number; stallCheckMs: number },
    private readonly onBlocked: () => void,
  ) {}

  /** A stream connection attempt started. */
  attempting(): void {
    this.stop();
    this.openTimer = setTimeout(() => {
      void this.headCursor().then((head) => {
        if (head !== null && this.openTimer !== undefined) this.blocked();
      });
    }, this.options.openTimeoutMs);
  }

  opened(): void {
    clearTimeout(this.openTimer);
    this.openTimer = undefined;
    clearInterval(this.stallTimer);
    this.framesSinceCheck = 0;
    this.suspectedHead = null;
    this.baseline = null;
    this.stallTimer = setInterval(() => void this.checkStall(), this.options.stallCheckMs);
    // A stream opened without a cursor starts at the head: remember it, to tell later whether it moved.
    if (this.position.cursor === null) {
      void this.headCursor().then((head) => {
        if (this.baseline === null && this.position.cursor === null) this.baseline = head;
      });
    }
  }

  sawFrame(): void {
    this.framesSinceCheck += 1;
  }

  stop(): void {
    clearTimeout(this.openTimer);
    clearInterval(this.stallTimer);
    this.openTimer = undefined;
    this.stallTimer = undefined;
  }

  private async checkStall(): Promise<void> {
    if (this.framesSinceCheck > 0) {
      this.framesSinceCheck = 0;
      this.suspectedHead = null;
      return;
    }
    const head = await this.headCursor();
    if (head === null || this.stallTimer === undefined) return;
    const known = this.position.cursor ?? this.baseline ?? head;
    if (this.position.cursor === null && this.baseline === null) this.baseline = head;
    if (head <= known) {
      this.suspectedHead = null;
    } else if (this.suspectedHead !== null && known < this.suspectedHead && this.framesSinceCheck === 0) {
      this.blocked();
    } else {
      this.suspectedHead = head;
    }
  }

  private blocked(): void {
    this.stop();
    this.onBlocked();
  }
}
