/** What this instance vouches for of one stream's head while it feeds that stream. */
interface Head {
  value: number;
  vouched: boolean;
}

/**
 * The heads of the streams this instance feeds (a user with a device open here, a tenant with a lane
 * here), as far as it can vouch for them: a head read from the log after the stream's subscription
 * was in place, raised by every entry dispatched here since. Every entry above that value had not been
 * dispatched yet, so a device registered now is offered it live: it may start there and miss nothing,
 * without reading the head (decision 56). Until such a read, and again after the broker may have
 * dropped entries (`forgetAll`), nothing is vouched for and the log is read.
 */
export class KnownHeads {
  private readonly heads = new Map<string, Head>();
  /** Bumped by `forgetAll`: a read that started before it teaches nothing. */
  private epoch = 0;

  /** Starts following a stream (its first device registered here): nothing is vouched for yet. */
  follow(key: string): void {
    if (!this.heads.has(key)) this.heads.set(key, { value: 0, vouched: false });
  }

  /** Stops following it (its last device left); a read still under way teaches nothing. */
  drop(key: string): void {
    this.heads.delete(key);
  }

  /** An entry of the stream was dispatched here. */
  saw(key: string, cursor: number): void {
    const head = this.heads.get(key);
    if (head && cursor > head.value) head.value = cursor;
  }

  /** The head vouched for, or undefined (then `read` the log). */
  vouched(key: string): number | undefined {
    const head = this.heads.get(key);
    return head?.vouched ? head.value : undefined;
  }

  /**
   * Reads the head from the log and returns it. Call only after the stream is followed and its
   * subscription is in place: then the result is vouched for from now on.
   */
  async read(key: string, read: () => Promise<number>): Promise<number> {
    const head = this.heads.get(key);
    const epoch = this.epoch;
    const value = await read();
    if (head && this.heads.get(key) === head && epoch === this.epoch) {
      head.value = Math.max(head.value, value);
      head.vouched = true;
    }
    return value;
  }

  /** The broker may have dropped entries (it resubscribed): read every head again. */
  forgetAll(): void {
    this.epoch += 1;
    for (const head of this.heads.values()) head.vouched = false;
  }
}
