import { describeStreamBrokerContract } from '@pushline/testing';
import { InMemoryStreamBroker } from './in-memory-stream-broker.js';

describeStreamBrokerContract('InMemoryStreamBroker', ({ onListenerError }) => {
  const broker = new InMemoryStreamBroker(onListenerError);
  return { publisher: broker, subscriber: broker };
});
