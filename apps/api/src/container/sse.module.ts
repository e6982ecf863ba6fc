import { SseDeliveryAdapter } from '@pushline/delivery-sse';
import { StreamHub } from '@pushline/stream-engine';
import { containerModule } from '../composition/typed-container.js';
import type { Config } from '../config.js';

/** Server-Sent Events delivery at /api/v1/stream (mounted by the streaming feature). */
export function sseModule(config: Config) {
  return containerModule((r) => {
    r.provide(SseDeliveryAdapter, (c) => new SseDeliveryAdapter(c.get(StreamHub), { retryMs: config.stream.retryMs }));
  });
}
