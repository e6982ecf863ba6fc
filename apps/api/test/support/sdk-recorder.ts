import type { ConnectionState, PushlineClient, PushlineEvent, UnknownPushlineEvent } from '@pushline/client';
import { Conditions } from './conditions.js';

/** Everything one SDK client handed its handlers, and waits on it (never on a timer). */
export class SdkRecorder {
  readonly events: (PushlineEvent | UnknownPushlineEvent)[] = [];
  readonly states: { state: ConnectionState; reason: string | undefined }[] = [];
  readonly resets: unknown[] = [];
  private readonly conditions = new Conditions();

  constructor(readonly client: PushlineClient) {
    client.onAny((event) => this.record(() => this.events.push(event)));
    client.onState((state, reason) => this.record(() => this.states.push({ state, reason })));
    client.on('stream.reset', (reset) => this.record(() => this.resets.push(reset)));
  }

  /** Titles of the `notification.created` events received, in order. */
  titles(): string[] {
    return this.events.flatMap((e) => (e.type === 'notification.created' ? [(e as { data: { title: string } }).data.title] : []));
  }

  waitUntil(condition: () => boolean, description: string, timeoutMs = 15_000): Promise<void> {
    return this.conditions.waitUntil(
      condition,
      () => `${description}; state ${this.client.state} (${this.client.reason}), ${this.events.length} events: ${JSON.stringify(this.titles())}, states ${JSON.stringify(this.states)}`,
      timeoutMs,
    );
  }

  waitForState(state: ConnectionState, reason?: string): Promise<void> {
    return this.waitUntil(() => this.states.some((s) => s.state === state && (reason === undefined || s.reason === reason)), `state ${state} ${reason ?? ''}`);
  }

  /** Re-checks the pending conditions after a change the recorder does not see (a callback ran). */
  notify(): void {
    this.conditions.notify();
  }

  private record(change: () => void): void {
    change();
    this.conditions.notify();
  }
}
