import { SseDeliveryAdapter } from '@pushline/delivery-sse';
import { ContainerModule } from 'inversify';
import type { Config } from '../config.js';
import { TOKENS } from '../tokens.js';

export function sseModule(config: Config): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.SseDelivery)
      .toDynamicValue((c) => new SseDeliveryAdapter(c.get(TOKENS.StreamHub), { retryMs: config.stream.retryMs }))
      .inSingletonScope();
  });
}
