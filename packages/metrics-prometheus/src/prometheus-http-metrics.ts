import { Counter, Histogram, type Registry } from 'prom-client';

export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * HTTP request count and duration. `route` must be a pattern (`/api/v1/notifications/:id`), never the
 * raw path, or every id becomes a time series.
 */
export class PrometheusHttpMetrics {
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly duration: Histogram<'method' | 'route' | 'status'>;
  private readonly refusedConnections: Counter<'reason'>;

  constructor(registry: Registry) {
    this.requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Seconds from request to the end of the response, by method, route pattern and status (streams: their lifetime)',
      labelNames: ['method', 'route', 'status'],
      buckets: HTTP_DURATION_BUCKETS,
      registers: [registry],
    });
    this.refusedConnections = new Counter({
      name: 'pushline_connections_refused_total',
      help: 'Connections answered and closed before any route saw a request: unauthenticated_connections (per-address cap), headers_too_large, request_timeout, bad_request',
      labelNames: ['reason'],
      registers: [registry],
    });
  }

  /** A connection refused below express (the connection cap, the HTTP parser's errors and timeouts). */
  refused(reason: string): void {
    this.refusedConnections.inc({ reason });
  }

  observe(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.requests.inc(labels);
    this.duration.observe(labels, seconds);
  }
}
