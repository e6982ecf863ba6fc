import { eventCatalog } from '@pushline/domain';
import { EventSource } from 'eventsource';
import { Conditions } from '../support/conditions.js';

export interface StreamEvent {
  /** The SSE id: the entry's cursor in the user's stream. */
  readonly cursor: number;
  readonly type: string;
  /** The envelope (CloudEvents attributes, `data` is the event's payload). */
  readonly envelope: { id: string; data: Record<string, unknown> } & Record<string, unknown>;
  /** Size of the frame's `data:` line, in UTF-8 bytes. */
  readonly bytes: number;
}

export interface ControlFrame {
  readonly type: string;
  readonly data: Record<string, unknown>;
}

const CONTROL_TYPES = ['stream.reset', 'stream.reauth', 'stream.closed'];

/**
 * A real `eventsource` client for fault tests. It can lose its connection on demand (`drop()` ends the
 * response body as a network drop would, so EventSource reconnects by itself and sends
 * `Last-Event-ID`), and it follows a server that restarted on another port (`target()` is read on
 * every (re)connect). Every connect records the `Last-Event-ID` EventSource sent.
 */
export class ResumableStream {
  /** Stored must-deliver events, in arrival order (what the fault tests audit). */
  readonly events: StreamEvent[] = [];
  /**
   * `notification.counts` (latest-wins): a device that is behind may get only the newest, so these are
   * kept apart and never counted as missing.
   */
  readonly latest: StreamEvent[] = [];
  readonly controls: ControlFrame[] = [];
  /** `Last-Event-ID` sent on each connection attempt (null on the first). */
  readonly resumedFrom: (string | null)[] = [];
  opens = 0;
  private readonly source: EventSource;
  private readonly conditions = new Conditions();
  private dropCurrent: (() => void) | undefined;

  constructor(
    private readonly target: () => string,
    credentials: { bearer: string; deviceId: string },
    /** Keep only the envelope's attributes and ids, not the event's free-form `data` (memory tests). */
    private readonly lean = false,
  ) {
    this.source = new EventSource('http://placeholder/api/v1/stream', {
      fetch: async (input, init) => {
        const url = new URL(String(input));
        const base = new URL(this.target());
        url.host = base.host;
        const headers: Record<string, string> = {
          ...(init.headers as Record<string, string>),
          Authorization: `Bearer ${credentials.bearer}`,
          'X-Device-Id': credentials.deviceId,
        };
        this.resumedFrom.push(headers['Last-Event-ID'] ?? null);
        const response = await fetch(url, { ...init, headers });
        return response.body ? this.droppable(response) : response;
      },
    });
    for (const type of eventCatalog.map((t) => t.name)) {
      this.source.addEventListener(type, (message) => {
        const envelope = JSON.parse(message.data) as StreamEvent['envelope'];
        if (this.lean) delete envelope.data['data'];
        const event = { cursor: Number(message.lastEventId), type, envelope, bytes: Buffer.byteLength(message.data) };
        (type === 'notification.counts' ? this.latest : this.events).push(event);
        this.notify();
      });
    }
    for (const type of CONTROL_TYPES) {
      this.source.addEventListener(type, (message) => {
        this.controls.push({ type, data: JSON.parse(message.data) as Record<string, unknown> });
        this.notify();
      });
    }
    this.source.onopen = () => {
      this.opens += 1;
      this.notify();
    };
  }

  /** Ends the current connection without a goodbye; EventSource reconnects after `retry:`. */
  drop(): void {
    this.dropCurrent?.();
    this.dropCurrent = undefined;
  }

  /** Resolves once `condition` holds; rejects after `timeoutMs` (a failure bound, not a wait). */
  waitUntil(condition: () => boolean, description: () => string, timeoutMs = 20_000): Promise<void> {
    return this.conditions.waitUntil(condition, description, timeoutMs);
  }

  close(): void {
    this.drop();
    this.source.close();
  }

  /** Wraps the body so the test can end it; the real connection is cancelled at the same time. */
  private droppable(response: Response): Response {
    const reader = response.body!.getReader();
    let ended = false;
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const end = (): void => {
      if (ended) return;
      ended = true;
      reader.cancel().catch(() => undefined);
      controller.close();
    };
    const body = new ReadableStream<Uint8Array>({
      start: (c) => {
        controller = c;
      },
      pull: async (c) => {
        try {
          const { done, value } = await reader.read();
          if (ended) return;
          if (done) {
            ended = true;
            c.close();
          } else c.enqueue(value);
        } catch (error) {
          if (ended) return;
          ended = true;
          c.error(error);
        }
      },
      cancel: () => {
        ended = true;
        return reader.cancel();
      },
    });
    this.dropCurrent = end;
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  }

  private notify(): void {
    this.conditions.notify();
  }
}

/** Simple seeded PRNG (mulberry32), so a failing chaos run can be replayed with its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Checks one device's received events against what its user was sent; returns the problems found. */
export function auditDevice(
  events: readonly StreamEvent[],
  /** `cursors`: the user's must-deliver cursors from the database (`mustDeliverCursors`). */
  expected: { userId: string; notificationIds: ReadonlySet<string>; cursors: readonly number[] },
): { problems: string[]; duplicates: number } {
  const problems: string[] = [];
  const seen = new Set<string>();
  const unique: StreamEvent[] = [];
  let duplicates = 0;
  for (const e of events) {
    if (seen.has(e.envelope.id)) duplicates += 1;
    else {
      seen.add(e.envelope.id);
      unique.push(e);
    }
  }
  const foreign = unique.filter((e) => e.envelope.data['userId'] !== expected.userId);
  if (foreign.length > 0) problems.push(`${foreign.length} events of another user`);
  const cursors = unique.map((e) => e.cursor);
  const outOfOrder = cursors.findIndex((c, i) => i > 0 && c <= cursors[i - 1]!);
  if (outOfOrder !== -1) problems.push(`cursor ${cursors[outOfOrder]} after ${cursors[outOfOrder - 1]}`);
  const want = expected.cursors;
  if (JSON.stringify(cursors) !== JSON.stringify(want)) {
    const have = new Set(cursors);
    const missing = want.filter((c) => !have.has(c));
    problems.push(`cursors are not the ${want.length} stored ones: ${unique.length} unique, missing ${JSON.stringify(missing.slice(0, 20))}`);
  }
  const received = new Set(unique.map((e) => String(e.envelope.data['notificationId'])));
  const lost = [...expected.notificationIds].filter((id) => !received.has(id));
  if (lost.length > 0) problems.push(`${lost.length} created notifications never arrived`);
  return { problems, duplicates };
}

/**
 * The cursors of a user's must-deliver entries in the database: every stored entry but the latest-wins
 * `notification.counts`, which a device that is behind may skip. `query` runs SQL (pg or Prisma).
 */
export async function mustDeliverCursors(
  query: (sql: string, values: unknown[]) => Promise<readonly { cursor: unknown }[]>,
  userId: string,
): Promise<number[]> {
  const rows = await query("SELECT cursor FROM stream_events WHERE user_id = $1 AND type <> 'notification.counts' ORDER BY cursor", [userId]);
  return rows.map((r) => Number(r.cursor));
}
