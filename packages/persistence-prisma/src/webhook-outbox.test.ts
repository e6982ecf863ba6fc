import { describe, expect, it } from '@jest/globals';
import { EventMother } from '@pushline/testing';
import { patternsSelecting, webhookPayload } from './webhook-outbox.js';

describe('webhookPayload', () => {
  it('is the envelope as the stream carries it', () => {
    const event = EventMother.created('u1', 'Hello');
    expect(webhookPayload(event, 1024)).toBe(JSON.stringify(event));
  });

  it('above the limit, drops data and says so with datatruncated', () => {
    const event = EventMother.created('u1', 'x'.repeat(2000));
    const sent = JSON.parse(webhookPayload(event, 1024)) as Record<string, unknown>;
    expect(sent).toMatchObject({ id: event.id, type: event.type, data: null, datatruncated: true });
  });

  it('lists every subscription pattern that selects a type', () => {
    expect(patternsSelecting('workbuddy.task.assigned')).toEqual(['*', 'workbuddy.*', 'workbuddy.task.*', 'workbuddy.task.assigned']);
  });
});
