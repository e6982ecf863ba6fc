import { Authenticate } from '@pushline/application';
import { WsDeliveryAdapter } from '@pushline/delivery-ws';
import { StreamHub } from '@pushline/stream-engine';
import { Ports } from '../composition/ports.js';
import { containerModule } from '../composition/typed-container.js';
import { wsUpgradeAuthenticator } from '../http/ws-upgrade-request.js';

/** Client messages are tiny (`ack`, `subscribe`); anything bigger is a mistake or abuse (close 1009). */
const WS_MAX_PAYLOAD_BYTES = 16 * 1024;

/** WebSocket delivery at /api/v1/ws, authenticated like the SSE stream. server.ts attaches it. */
export function wsModule() {
  return containerModule((r) => {
    r.provide(WsDeliveryAdapter, (c) => {
      const logger = c.get(Ports.Logger);
      return new WsDeliveryAdapter(c.get(StreamHub), {
        path: '/api/v1/ws',
        maxPayloadBytes: WS_MAX_PAYLOAD_BYTES,
        authenticate: wsUpgradeAuthenticator(c.get(Authenticate)),
        onError: (err) => logger.error({ err }, 'websocket delivery failed'),
      });
    });
  });
}
