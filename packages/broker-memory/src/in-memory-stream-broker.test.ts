import { EVERY_USER_INTEREST } from '@pushline/domain';
import { describeStreamBrokerContract, describeStreamInterestContract } from '@pushline/testing';
import { InMemoryStreamBroker } from './in-memory-stream-broker.js';

describeStreamBrokerContract('InMemoryStreamBroker', ({ onListenerError }) => {
  const broker = new InMemoryStreamBroker(onListenerError);
  return { publisher: broker, subscriber: broker, interest: EVERY_USER_INTEREST };
});

// One process: every listener hears every user, so a watch only has to be ready at once.
describeStreamInterestContract('InMemoryStreamBroker', () => {
  const broker = new InMemoryStreamBroker();
  return { publisher: broker, subscriber: broker, interest: EVERY_USER_INTEREST };
});
