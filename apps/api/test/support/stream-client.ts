import { eventCatalog } from '@pushline/domain';
import { EventSource, type ErrorEvent } from 'eventsource';
import { Conditions } from './conditions.js';

export interface ReceivedEvent {
  readonly id: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
}

export interface StreamCredentials {
  readonly bearer?: string;
  /** Raw `Cookie` header, as a browser would send it. */
  readonly cookie?: string;
  readonly headers?: Record<string, string>;
}

const CONTROL_TYPES = ['stream.reset', 'stream.reauth', 'stream.closed'];

/**
 * A real `eventsource` client that records what it receives and lets a test await a condition
 * (never a sleep): every received event re-checks the pending waits.
 */
export class StreamClient {
  readonly events: ReceivedEvent[] = [];
  readonly errors: { code: number | undefined; message: string | undefined }[] = [];
  private readonly source: EventSource;
  private readonly conditions = new Conditions();
  private opened = false;

  /** `extraTypes`: event names to listen for beyond the catalog (app-declared types, a generated copy's). */
  constructor(url: string, credentials: StreamCredentials = {}, extraTypes: readonly string[] = []) {
    this.source = new EventSource(url, {
      fetch: (input, init) =>
        fetch(input, {
          ...init,
          headers: {
            ...init.headers,
            ...credentials.headers,
            ...(credentials.bearer && { Authorization: `Bearer ${credentials.bearer}` }),
            ...(credentials.cookie && { Cookie: credentials.cookie }),
          },
        }),
    });
    for (const type of [...eventCatalog.map((t) => t.name), ...CONTROL_TYPES, ...extraTypes]) {
      this.source.addEventListener(type, (message) => {
        this.events.push({ id: message.lastEventId, type, data: JSON.parse(message.data) as Record<string, unknown> });
        this.notify();
      });
    }
    this.source.onopen = () => {
      this.opened = true;
      this.notify();
    };
    this.source.onerror = (error: ErrorEvent) => {
      this.errors.push({ code: error.code, message: error.message });
      this.notify();
    };
  }

  get readyState(): number {
    return this.source.readyState;
  }

  ofType(type: string): ReceivedEvent[] {
    return this.events.filter((e) => e.type === type);
  }

  /** Resolves once `condition` holds; rejects after `timeoutMs` with what was received so far. */
  waitUntil(condition: () => boolean, description: string, timeoutMs = 5000): Promise<void> {
    return this.conditions.waitUntil(
      condition,
      () => `${description}; received ${JSON.stringify(this.events.map((e) => e.type))}, errors ${JSON.stringify(this.errors)}`,
      timeoutMs,
    );
  }

  waitForOpen(): Promise<void> {
    return this.waitUntil(() => this.opened, 'the stream to open');
  }

  waitForEvent(type: string, match: (data: Record<string, unknown>) => boolean = () => true): Promise<void> {
    return this.waitUntil(() => this.events.some((e) => e.type === type && match(e.data)), `a ${type} event`);
  }

  /** The stream was refused with an HTTP status (EventSource does not retry those). */
  waitForHttpError(): Promise<number | undefined> {
    return this.waitUntil(() => this.errors.some((e) => e.code !== undefined), 'an HTTP error').then(
      () => this.errors.find((e) => e.code !== undefined)?.code,
    );
  }

  close(): void {
    this.source.close();
  }

  private notify(): void {
    this.conditions.notify();
  }
}
