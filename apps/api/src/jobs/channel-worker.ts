import type { SendDueChannelMessages } from '@pushline/application';
import type { Logger } from 'pino';

export interface ChannelWorkerOptions {
  /** Time between polls (`CHANNEL_POLL_MS`): grace periods and digest windows end on a poll. */
  readonly pollIntervalMs: number;
}

/**
 * Sends due channel messages on a timer. Runs never overlap within an instance; across instances the
 * records' leases (`FOR UPDATE SKIP LOCKED`) hand each one to one worker. Nothing is sent inside a
 * request: the dispatch handler only writes records.
 */
export class ChannelWorker {
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly send: SendDueChannelMessages,
    private readonly options: ChannelWorkerOptions,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => void this.runOnce(), this.options.pollIntervalMs);
    this.timer.unref();
  }

  /** One pass, unless one is running (then that one). Tests call it with a time of their choosing. */
  runOnce(now?: Date): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.running ??= this.loop(now).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async loop(now: Date | undefined): Promise<void> {
    // Bounded: a full batch may have more due behind it, but one pass never runs forever.
    for (let batch = 0; batch < 20 && !this.stopped; batch++) {
      try {
        const { sent, retry, failed, skipped } = await this.send.execute(now);
        if (retry + failed > 0) this.logger.warn({ sent, retry, failed, skipped }, 'channel sends failed; retrying with backoff');
        if (sent + retry + failed + skipped === 0) return;
      } catch (err) {
        this.logger.error({ err }, 'channel worker pass failed; will retry on the next poll');
        return;
      }
    }
  }
}
