import type { DeliveredMessage } from '@pushline/testing';
import { Conditions } from './conditions.js';

/**
 * What a test client received, and waits on it: every change re-checks the pending conditions, so a
 * test awaits events, never a timer (the timeout is only a failure bound).
 */
export class MessageRecorder {
  readonly events: DeliveredMessage[] = [];
  opened = false;
  ended = false;
  refusedWith: number | undefined;
  private readonly conditions = new Conditions();

  constructor(private readonly describe: () => string = () => '') {}

  push(message: DeliveredMessage): void {
    this.events.push(message);
    this.notify();
  }

  update(change: Partial<Pick<MessageRecorder, 'opened' | 'ended' | 'refusedWith'>>): void {
    Object.assign(this, change);
    this.notify();
  }

  waitUntil(condition: () => boolean, description: string, timeoutMs = 5000): Promise<void> {
    return this.conditions.waitUntil(condition, () => `${description}; received ${JSON.stringify(this.events.map((e) => e.type))} ${this.describe()}`, timeoutMs);
  }

  waitForOpen(): Promise<void> {
    return this.waitUntil(() => this.opened, 'the stream to open');
  }

  async waitForRefusal(): Promise<number> {
    await this.waitUntil(() => this.refusedWith !== undefined, 'a refusal');
    return this.refusedWith!;
  }

  waitForEnd(): Promise<void> {
    return this.waitUntil(() => this.ended, 'the connection to end', 15_000);
  }

  private notify(): void {
    this.conditions.notify();
  }
}
