import { beforeEach, describe, expect, it } from '@jest/globals';
import { EventFactory, ValidationError } from '@pushline/domain';
import { FixedClock, InMemoryTenantRepository, InMemoryUnitOfWork, SequentialIdGenerator } from '@pushline/testing';
import { BroadcastToTenant } from './broadcast-to-tenant.use-case.js';

describe('BroadcastToTenant', () => {
  let tenants: InMemoryTenantRepository;
  let unitOfWork: InMemoryUnitOfWork;
  let broadcast: BroadcastToTenant;

  beforeEach(async () => {
    const clock = new FixedClock('2026-12-02T00:00:00.000Z');
    tenants = new InMemoryTenantRepository();
    await tenants.save({ id: 'acme', name: 'Acme', createdAt: clock.now(), disabledAt: null });
    await tenants.save({ id: 'globex', name: 'Globex', createdAt: clock.now(), disabledAt: null });
    unitOfWork = new InMemoryUnitOfWork();
    broadcast = new BroadcastToTenant(tenants, unitOfWork, new EventFactory(new SequentialIdGenerator('evt'), clock, '/pushline/test'));
  });

  it("writes one entry to the tenant's stream, stamped with the tenant, and nothing to any user's", async () => {
    const result = await broadcast.execute({ tenantId: 'acme', type: 'maintenance.scheduled', subject: 'db', data: { at: '02:00' } });

    expect(result).toEqual({ id: 'evt-1', tenantId: 'acme', type: 'maintenance.scheduled' });
    expect(unitOfWork.tenantStreams.broadcastsOf('acme')).toEqual([
      expect.objectContaining({ id: 'evt-1', type: 'maintenance.scheduled', tenantid: 'acme', source: '/pushline/operator', data: { at: '02:00' } }),
    ]);
    expect(unitOfWork.tenantStreams.broadcastsOf('globex')).toEqual([]);
    expect(unitOfWork.events.entriesOf('anyone')).toEqual([]);
  });

  it('takes a catalog type declared for broadcast, with its schema and version, and names the bad data field', async () => {
    const ok = await broadcast.execute({ tenantId: 'acme', type: 'store.maintenance_scheduled', subject: 'shop', data: { startsAt: '2026-12-24T22:00:00.000Z' } });
    expect(unitOfWork.tenantStreams.broadcastsOf('acme')).toEqual([
      expect.objectContaining({ id: ok.id, type: 'store.maintenance_scheduled', dataversion: 1, data: { startsAt: '2026-12-24T22:00:00.000Z' } }),
    ]);
    const error = await broadcast.execute({ tenantId: 'acme', type: 'store.maintenance_scheduled', subject: 'shop', data: { startsAt: 'tomorrow' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('data.startsAt');
    expect(unitOfWork.tenantStreams.broadcastsOf('acme')).toHaveLength(1);
  });

  it.each([
    ['type', { type: 'Maintenance' }],
    ['type', { type: 'store.order_shipped' }],
    ['type', { type: 'nodots' }],
    ['type', { type: 'notification.created' }],
    ['type', { type: 'stream.reset' }],
    ['type', { type: `a.${'b'.repeat(100)}` }],
    ['subject', { subject: '' }],
    ['data', { data: { big: 'x'.repeat(17 * 1024) } }],
  ])('refuses a bad %s, naming it, and writes nothing', async (field, change) => {
    const error = await broadcast.execute({ tenantId: 'acme', type: 'maintenance.scheduled', subject: 'db', data: null, ...change }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe(field);
    expect(unitOfWork.tenantStreams.broadcastsOf('acme')).toEqual([]);
  });

  it('answers not found for a tenant that does not exist', async () => {
    await expect(broadcast.execute({ tenantId: 'nope', type: 'maintenance.scheduled', subject: 'db', data: null })).rejects.toMatchObject({ code: 'not_found' });
  });
});
