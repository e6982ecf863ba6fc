import type { ChannelSendObserver, ChannelSendOutcome, OutboundChannel } from '@pushline/domain';
import { Counter, type Registry } from 'prom-client';

/** Send records by channel and outcome (sent · retry · failed · skipped); a digest counts each of its records. */
export class PrometheusChannelObserver implements ChannelSendObserver {
  private readonly sends: Counter<'channel' | 'outcome'>;

  constructor(registry: Registry) {
    this.sends = new Counter({
      name: 'pushline_channel_sends_total',
      help: 'Notification channel send records settled or retried, by channel and outcome (sent, retry, failed, skipped)',
      labelNames: ['channel', 'outcome'],
      registers: [registry],
    });
  }

  onSend(channel: OutboundChannel, outcome: ChannelSendOutcome, records: number): void {
    this.sends.inc({ channel, outcome }, records);
  }
}
