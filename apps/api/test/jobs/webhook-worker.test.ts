import { describe, expect, it } from '@jest/globals';
import pino from 'pino';
import { WebhookWorker } from '../../src/jobs/webhook-worker.js';

/** A dispatch over named deliveries whose attempts finish when the test says so. */
class ScriptedDispatch {
  readonly due: string[];
  readonly started: string[] = [];
  private readonly finishers = new Map<string, () => void>();
  private readonly waiters: { id: string; resolve: () => void }[] = [];

  constructor(due: string[]) {
    this.due = [...due];
  }

  async execute(options: { limit?: number; leased?: (count: number) => void; settled?: () => void } = {}): Promise<number> {
    const taken = this.due.splice(0, options.limit ?? 1);
    options.leased?.(taken.length);
    await Promise.all(
      taken.map(
        (id) =>
          new Promise<void>((resolve) => {
            this.finishers.set(id, () => {
              resolve();
              options.settled?.();
            });
            this.started.push(id);
            for (const w of this.waiters.filter((w) => w.id === id)) w.resolve();
          }),
      ),
    );
    return taken.length;
  }

  whenStarted(id: string): Promise<void> {
    if (this.started.includes(id)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ id, resolve }));
  }

  finish(id: string): void {
    this.finishers.get(id)?.();
  }
}

describe('WebhookWorker', () => {
  it('refills free slots while a slow delivery is still in flight, and drains it on stop', async () => {
    const dispatch = new ScriptedDispatch(['slow', 'fast', 'next']);
    const worker = new WebhookWorker(dispatch, { pollMs: 60_000, concurrency: 2 }, pino({ level: 'silent' }));
    worker.start();
    await dispatch.whenStarted('fast');
    expect(dispatch.started).toEqual(['slow', 'fast']);

    dispatch.finish('fast');
    await dispatch.whenStarted('next');
    expect(dispatch.started).toEqual(['slow', 'fast', 'next']);

    let stopped = false;
    const stopping = worker.stop().then(() => (stopped = true));
    dispatch.finish('next');
    await Promise.resolve();
    expect(stopped).toBe(false);
    dispatch.finish('slow');
    await stopping;
    expect(stopped).toBe(true);
  });

  it('leases again at once when nudged, and never beyond its concurrency', async () => {
    const dispatch = new ScriptedDispatch([]);
    const worker = new WebhookWorker(dispatch, { pollMs: 60_000, concurrency: 1 }, pino({ level: 'silent' }));
    worker.start();
    dispatch.due.push('a', 'b');
    worker.nudge();
    await dispatch.whenStarted('a');
    worker.nudge();
    expect(dispatch.started).toEqual(['a']);
    dispatch.finish('a');
    await dispatch.whenStarted('b');
    dispatch.finish('b');
    await worker.stop();
  });
});
