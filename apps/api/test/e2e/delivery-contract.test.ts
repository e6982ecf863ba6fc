import { describeDeliveryAdapterContract } from '@pushline/testing';
import { startDeliveryFixture } from '../support/delivery-fixture.js';
import { SseDeliveryClient } from '../support/sse-delivery-client.js';
import { WsDeliveryClient } from '../support/ws-delivery-client.js';

// One behaviour, two transports: each runs against its own real server serving only that transport.
describeDeliveryAdapterContract('SSE', () => startDeliveryFixture('sse', (baseUrl, options) => new SseDeliveryClient(baseUrl, options)));
describeDeliveryAdapterContract('WebSocket', () => startDeliveryFixture('ws', (baseUrl, options) => new WsDeliveryClient(baseUrl, options)));
