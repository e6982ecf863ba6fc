import type { DeadLetter, DomainEvent, HandlerJob, HandlerJobQueue } from '@pushline/domain';

interface Row {
  id: string;
  handler: string;
  event: DomainEvent;
  status: 'pending' | 'done' | 'dead';
  attempts: number;
  runAt: Date;
  lockedUntil: Date | null;
  lastError: string | null;
  updatedAt: Date;
}

/** The handler jobs in a map, with the database queue's rules; `enqueue` stands in for the outbox. */
export class InMemoryHandlerJobQueue implements HandlerJobQueue {
  readonly rows = new Map<string, Row>();
  private nextId = 1;

  /** As the outbox writes them: once per (handler, event id). */
  enqueue(handler: string, event: DomainEvent): void {
    if ([...this.rows.values()].some((r) => r.handler === handler && r.event.id === event.id)) return;
    const id = String(this.nextId++);
    const at = new Date(event.time);
    this.rows.set(id, { id, handler, event, status: 'pending', attempts: 0, runAt: at, lockedUntil: null, lastError: null, updatedAt: at });
  }

  async claim(now: Date, limit: number, leaseUntil: Date): Promise<readonly HandlerJob[]> {
    const due = [...this.rows.values()]
      .filter((r) => r.status === 'pending' && r.runAt <= now && (!r.lockedUntil || r.lockedUntil <= now))
      .sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || Number(a.id) - Number(b.id))
      .slice(0, limit);
    return due.map((r) => {
      r.lockedUntil = leaseUntil;
      r.attempts += 1;
      return { id: r.id, handler: r.handler, event: r.event, attempts: r.attempts };
    });
  }

  async complete(jobId: string, now: Date): Promise<void> {
    Object.assign(this.rows.get(jobId)!, { status: 'done', lockedUntil: null, updatedAt: now });
  }

  async fail(jobId: string, error: string, retryAt: Date | null, now: Date): Promise<void> {
    const row = this.rows.get(jobId)!;
    Object.assign(row, { status: retryAt ? 'pending' : 'dead', runAt: retryAt ?? row.runAt, lockedUntil: null, lastError: error, updatedAt: now });
  }

  async listDead({ handler, limit }: { handler?: string; limit: number }): Promise<readonly DeadLetter[]> {
    return [...this.rows.values()]
      .filter((r) => r.status === 'dead' && (!handler || r.handler === handler))
      .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || Number(b.id) - Number(a.id))
      .slice(0, limit)
      .map((r) => ({ id: r.id, handler: r.handler, event: r.event, attempts: r.attempts, lastError: r.lastError ?? '', failedAt: r.updatedAt }));
  }

  async replay(jobId: string, now: Date): Promise<boolean> {
    const row = this.rows.get(jobId);
    if (row?.status !== 'dead') return false;
    Object.assign(row, { status: 'pending', attempts: 0, runAt: now, lockedUntil: null, updatedAt: now });
    return true;
  }

  async purgeDone(before: Date, limit: number): Promise<number> {
    const done = [...this.rows.values()]
      .filter((r) => r.status === 'done' && r.updatedAt < before)
      .sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime() || Number(a.id) - Number(b.id))
      .slice(0, limit);
    for (const r of done) this.rows.delete(r.id);
    return done.length;
  }

  async purgeDead(jobId: string): Promise<boolean> {
    if (this.rows.get(jobId)?.status !== 'dead') return false;
    return this.rows.delete(jobId);
  }
}
