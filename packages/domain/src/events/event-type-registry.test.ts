import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { InvalidEventError } from '../shared/errors.js';
import type { DomainEvent } from './domain-event.js';
import { EventFactory } from './event-factory.js';
import { defineEventType } from './event-type.js';
import { EventTypeRegistry } from './event-type-registry.js';

const factory = new EventFactory({ next: () => 'e1' }, { now: () => new Date('2026-01-01T00:00:00Z') }, '/pushline/test');
const members = z.object({ userIds: z.array(z.string()), v: z.number() });
const stored = defineEventType({ name: 'room.changed', version: 3, description: 't', schema: members, delivery: 'must-deliver', audience: (d) => d.userIds, upcasters: { 1: (d) => ({ ...d, v: 2 }), 2: (d) => ({ ...d, v: Number(d['v']) + 1 }) } });
const live = defineEventType({ name: 'room.typing', version: 1, description: 't', schema: members, delivery: 'ephemeral', audience: (d) => d.userIds });
const registry = new EventTypeRegistry([stored, live]);

describe('EventTypeRegistry', () => {
  it('routes stored events per recipient and ephemeral ones as live entries without a cursor, once per user', () => {
    const a = factory.create(stored, 's', { userIds: ['u1', 'u2', 'u1'], v: 3 });
    const b = factory.create(live, 's', { userIds: ['u2'], v: 1 });

    const routed = registry.route([a, b]);

    expect(routed.stored).toEqual([{ userId: 'u1', event: a }, { userId: 'u2', event: a }]);
    expect(routed.ephemeral).toEqual([{ userId: 'u2', cursor: 0, ephemeral: true, event: b }]);
  });

  it('rejects an unknown type', () => {
    const unknown = { ...factory.create(live, 's', { userIds: [], v: 1 }), type: 'room.gone' };
    expect(() => registry.route([unknown])).toThrow(InvalidEventError);
    expect(registry.deliveryOf('room.gone')).toBe('must-deliver');
  });

  it('upcasts step by step to the current version and leaves current events alone', () => {
    const current = factory.create(stored, 's', { userIds: ['u1'], v: 3 });
    const v1: DomainEvent = { ...current, dataversion: 1, data: { userIds: ['u1'], v: 1 } };

    expect(registry.upcast(v1)).toEqual({ ...current, dataversion: 3, data: { userIds: ['u1'], v: 3 } });
    expect(registry.upcast(current)).toBe(current);
  });

  it('fails loudly when an upcaster is missing, and refuses a type declared twice', () => {
    const gap = new EventTypeRegistry([defineEventType({ ...stored, upcasters: { 2: (d) => d } })]);
    const v1 = { ...factory.create(stored, 's', { userIds: [], v: 3 }), dataversion: 1 };
    expect(() => gap.upcast(v1)).toThrow('room.changed has no upcaster from version 1');
    expect(() => new EventTypeRegistry([live, live])).toThrow('declared twice');
  });
});
