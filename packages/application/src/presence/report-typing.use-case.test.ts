import { describe, expect, it } from '@jest/globals';
import { InMemoryStreamBroker } from '@pushline/broker-memory';
import { EventFactory, InvalidEventError, type StreamEntry } from '@pushline/domain';
import { FixedClock, InMemoryUnitOfWork, SequentialIdGenerator } from '@pushline/testing';
import { ReportTyping } from './report-typing.use-case.js';

function setup() {
  const broker = new InMemoryStreamBroker();
  const pushed: StreamEntry[] = [];
  broker.subscribe((entry) => pushed.push(entry));
  const unitOfWork = new InMemoryUnitOfWork(undefined, undefined, broker);
  const clock = new FixedClock('2026-05-01T10:00:00.000Z');
  const useCase = new ReportTyping(unitOfWork, clock, new EventFactory(new SequentialIdGenerator('evt'), clock, '/pushline/test'));
  return { useCase, unitOfWork, pushed };
}

describe('ReportTyping', () => {
  it("pushes presence.typing live to the user's devices and stores nothing", async () => {
    const { useCase, unitOfWork, pushed } = setup();

    await useCase.execute({ userId: 'u1', subject: 'n-1', typing: true }, { deviceId: 'phone-1' });

    expect(pushed).toEqual([
      {
        userId: 'u1',
        cursor: 0,
        ephemeral: true,
        event: expect.objectContaining({
          type: 'presence.typing',
          subject: 'n-1',
          deviceid: 'phone-1',
          data: { userId: 'u1', subject: 'n-1', typing: true, at: '2026-05-01T10:00:00.000Z' },
        }),
      },
    ]);
    await expect(unitOfWork.events.headCursor('u1')).resolves.toBe(0);
  });

  it('rejects an empty subject', async () => {
    const { useCase, pushed } = setup();
    await expect(useCase.execute({ userId: 'u1', subject: '', typing: true })).rejects.toBeInstanceOf(InvalidEventError);
    expect(pushed).toEqual([]);
  });
});
