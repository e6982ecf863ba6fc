import type { ExpireDueNotifications } from '@pushline/application';
import type { Logger } from 'pino';

/**
 * Runs the notification expiry worker every `NOTIFICATION_EXPIRY_INTERVAL_MS` on every instance;
 * the use case changes each notification under its owner's lock, so each change happens once.
 */
export class ExpiryJob {
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly expire: ExpireDueNotifications,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.run(), this.intervalMs);
    this.timer.unref();
  }

  /** One pass now; a call while a pass runs joins it. */
  run(): Promise<void> {
    this.running ??= this.expire
      .execute()
      .then(({ expired, unsnoozed }) => {
        if (expired + unsnoozed > 0) this.logger.info({ expired, unsnoozed }, 'notification expiry pass');
      })
      .catch((err: unknown) => this.logger.error({ err }, 'notification expiry failed; will retry on the next pass'))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
