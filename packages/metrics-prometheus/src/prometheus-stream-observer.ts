import type { DomainEvent, ObservedStream, StreamEndReason, StreamEntry, StreamObserver } from '@pushline/domain';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Seconds from an event's `time` to its write on a socket: sub-millisecond locally, seconds when backed up. */
export const DELIVERY_LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** One labelled series counted in a plain number; added to its prom-client counter on scrape. */
interface Cell {
  readonly labels: Record<string, string>;
  count: number;
  flushed: number;
}

/**
 * Counts the stream's traffic into Prometheus metrics. Per-delivery counts go into plain number
 * cells (a map lookup and an increment) and reach prom-client on scrape: a labelled `inc()` hashes
 * its labels on every call, which costs ~0.5 µs, paid once per device in a fan-out.
 */
export class PrometheusStreamObserver implements StreamObserver {
  private readonly connections: Gauge<'transport'>;
  private readonly closedTotal: Counter<'transport' | 'reason'>;
  private readonly slowConsumers: Counter<'transport'>;
  private readonly latency: Histogram;
  private readonly publishedByType = new Map<string, Cell>();
  private readonly deliveredByType = new Map<string, Map<string, Cell>>();
  private readonly deliveredCells: Cell[] = [];
  private readonly replayedByTransport = new Map<string, Cell>();
  private lastTimedEvent: DomainEvent | undefined;

  constructor(
    registry: Registry,
    private readonly now: () => number = Date.now,
  ) {
    const registers = [registry];
    const { publishedByType, deliveredCells, replayedByTransport } = this;
    this.connections = new Gauge({
      name: 'pushline_stream_connections',
      help: 'Device streams open on this instance, by transport',
      labelNames: ['transport'],
      registers,
    });
    this.closedTotal = new Counter({
      name: 'pushline_stream_closed_total',
      help: 'Device streams ended, by transport and reason (client_closed: the client went away)',
      labelNames: ['transport', 'reason'],
      registers,
    });
    this.slowConsumers = new Counter({
      name: 'pushline_stream_slow_consumers_dropped_total',
      help: 'Streams cut because the client read too slowly and its send buffer overflowed',
      labelNames: ['transport'],
      registers,
    });
    new Counter({
      name: 'pushline_events_published_total',
      help: 'Stream entries the outbox relay handed to the broker, by event type (at-least-once: retries count again)',
      labelNames: ['type'],
      registers,
      collect() {
        flush(this, publishedByType.values());
      },
    });
    new Counter({
      name: 'pushline_events_delivered_total',
      help: 'Entries written to a device stream (live and replayed), by event type and transport',
      labelNames: ['type', 'transport'],
      registers,
      collect() {
        flush(this, deliveredCells);
      },
    });
    new Counter({
      name: 'pushline_events_replayed_total',
      help: 'Entries written from the event log (resume after reconnect, gap fill), by transport',
      labelNames: ['transport'],
      registers,
      collect() {
        flush(this, replayedByTransport.values());
      },
    });
    this.latency = new Histogram({
      name: 'pushline_event_delivery_latency_seconds',
      help: "Seconds from the event envelope's time to its first live write to a device on this instance",
      buckets: DELIVERY_LATENCY_BUCKETS,
      registers,
    });
  }

  opened(stream: ObservedStream): void {
    this.connections.inc({ transport: stream.transport });
  }

  closed(stream: ObservedStream, reason: StreamEndReason): void {
    this.connections.dec({ transport: stream.transport });
    this.closedTotal.inc({ transport: stream.transport, reason });
    if (reason === 'slow_consumer') this.slowConsumers.inc({ transport: stream.transport });
  }

  published(entries: readonly StreamEntry[]): void {
    for (const entry of entries) this.cell(this.publishedByType, entry.event.type, 'type').count += 1;
  }

  delivered(entry: StreamEntry, transport: string, replayed: boolean): void {
    this.deliveredCell(entry.event.type, transport).count += 1;
    if (replayed) {
      this.cell(this.replayedByTransport, transport, 'transport').count += 1;
      return;
    }
    // Replays are old by design; only live writes say how fast the pipeline is. One observation per
    // entry: the user's other devices get it in the same synchronous fan-out, microseconds later.
    if (entry.event === this.lastTimedEvent) return;
    this.lastTimedEvent = entry.event;
    const latencyMs = this.now() - Date.parse(entry.event.time);
    if (latencyMs >= 0) this.latency.observe(latencyMs / 1000);
  }

  private cell(cells: Map<string, Cell>, value: string, label: string): Cell {
    let cell = cells.get(value);
    if (!cell) {
      cell = { labels: { [label]: value }, count: 0, flushed: 0 };
      cells.set(value, cell);
    }
    return cell;
  }

  private deliveredCell(type: string, transport: string): Cell {
    let byTransport = this.deliveredByType.get(type);
    if (!byTransport) {
      byTransport = new Map();
      this.deliveredByType.set(type, byTransport);
    }
    let cell = byTransport.get(transport);
    if (!cell) {
      cell = { labels: { type, transport }, count: 0, flushed: 0 };
      byTransport.set(transport, cell);
      this.deliveredCells.push(cell);
    }
    return cell;
  }
}

function flush(counter: Counter<string>, cells: Iterable<Cell>): void {
  for (const cell of cells) {
    if (cell.count === cell.flushed) continue;
    counter.inc(cell.labels, cell.count - cell.flushed);
    cell.flushed = cell.count;
  }
}
