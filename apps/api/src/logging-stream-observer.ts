import type { ObservedStream, StreamEndReason } from '@pushline/domain';
import type { Logger } from 'pino';

/**
 * Logs each device stream's lifecycle: who (user, device, transport) and why it ended. Never a
 * token: the observed stream carries none. Deliveries are counted by metrics, not logged.
 */
export class LoggingStreamObserver {
  constructor(private readonly logger: Logger) {}

  opened(stream: ObservedStream): void {
    this.logger.info({ stream }, 'stream opened');
  }

  closed(stream: ObservedStream, reason: StreamEndReason): void {
    this.logger.info({ stream, reason }, 'stream closed');
  }
}
