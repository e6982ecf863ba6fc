import type { Authenticate } from '@pushline/application';
import { WsDeliveryAdapter } from '@pushline/delivery-ws';
import { ContainerModule } from 'inversify';
import type { Logger } from 'pino';
import { wsUpgradeAuthenticator } from '../http/ws-upgrade-request.js';
import { TOKENS } from '../tokens.js';

/** Client messages are tiny (`ack`, `subscribe`); anything bigger is a mistake or abuse (close 1009). */
const WS_MAX_PAYLOAD_BYTES = 16 * 1024;

/** WebSocket delivery at /api/v1/ws, authenticated like the SSE stream. server.ts attaches it. */
export function wsModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(TOKENS.WsDelivery)
      .toDynamicValue((c) => {
        const logger = c.get<Logger>(TOKENS.Logger);
        return new WsDeliveryAdapter(c.get(TOKENS.StreamHub), {
          path: '/api/v1/ws',
          maxPayloadBytes: WS_MAX_PAYLOAD_BYTES,
          authenticate: wsUpgradeAuthenticator(c.get<Authenticate>(TOKENS.Authenticate), c.get(TOKENS.OriginPolicy), c.get(TOKENS.ConnectionCap)),
          onError: (err) => logger.error({ err }, 'websocket delivery failed'),
        });
      })
      .inSingletonScope();
  });
}
