import { describe, expect, it } from '@jest/globals';
import type { StreamEntry } from '@pushline/domain';
import { EventMother } from '@pushline/testing';
import { Registry } from 'prom-client';
import { createMetricsRegistry } from './create-metrics-registry.js';
import { PrometheusHttpMetrics } from './prometheus-http-metrics.js';
import { PrometheusStreamObserver } from './prometheus-stream-observer.js';

async function sample(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  // Histograms list their _bucket, _sum and _count samples under the base name.
  const values = (await registry.getMetricsAsJSON()).flatMap((m) =>
    m.values.map((v) => ({ name: (v as { metricName?: string }).metricName ?? m.name, ...v })),
  );
  const value = values.find((v) => v.name === name && Object.entries(labels).every(([k, l]) => String(v.labels[k]) === l));
  return value?.value;
}

describe('PrometheusStreamObserver', () => {
  const phone = { userId: 'alice', deviceId: 'phone', transport: 'sse' };
  const entry = (cursor: number): StreamEntry => ({ userId: 'alice', cursor, event: EventMother.created('alice') });

  it('tracks open connections per transport and counts closes by reason', async () => {
    const registry = new Registry();
    const observer = new PrometheusStreamObserver(registry);
    observer.opened(phone);
    observer.opened({ ...phone, transport: 'ws' });
    observer.opened(phone);
    observer.closed(phone, 'slow_consumer');

    expect(await sample(registry, 'pushline_stream_connections', { transport: 'sse' })).toBe(1);
    expect(await sample(registry, 'pushline_stream_connections', { transport: 'ws' })).toBe(1);
    expect(await sample(registry, 'pushline_stream_closed_total', { reason: 'slow_consumer' })).toBe(1);
    expect(await sample(registry, 'pushline_stream_slow_consumers_dropped_total', { transport: 'sse' })).toBe(1);
  });

  it('counts published, delivered and replayed by type, and times live deliveries from the envelope time', async () => {
    const registry = new Registry();
    const live = entry(3);
    const now = Date.parse(live.event.time) + 40;
    const observer = new PrometheusStreamObserver(registry, () => now);

    observer.published([entry(1), entry(2), live]);
    observer.delivered(entry(1), 'sse', true);
    observer.delivered(entry(2), 'sse', true);
    observer.delivered(live, 'sse', false);
    observer.delivered(live, 'ws', false);

    expect(await sample(registry, 'pushline_events_published_total', { type: 'notification.created' })).toBe(3);
    expect(await sample(registry, 'pushline_events_delivered_total', { type: 'notification.created', transport: 'sse' })).toBe(3);
    expect(await sample(registry, 'pushline_events_replayed_total', { transport: 'sse' })).toBe(2);
    // One latency observation per entry, however many devices it fans out to.
    expect(await sample(registry, 'pushline_event_delivery_latency_seconds_count')).toBe(1);
    expect(await sample(registry, 'pushline_event_delivery_latency_seconds_sum')).toBeCloseTo(0.04, 5);
    expect(await sample(registry, 'pushline_event_delivery_latency_seconds_bucket', { le: '0.025' })).toBe(0);
    expect(await sample(registry, 'pushline_event_delivery_latency_seconds_bucket', { le: '0.05' })).toBe(1);

    // Counts reach prom-client on scrape, and only the increase since the last one.
    observer.delivered(live, 'ws', false);
    expect(await sample(registry, 'pushline_events_delivered_total', { type: 'notification.created', transport: 'ws' })).toBe(2);
  });
});

describe('createMetricsRegistry', () => {
  it('reads users and the outbox backlog on each scrape, and survives a failing backlog query', async () => {
    let users = 2;
    let backlog: () => Promise<number> = () => Promise.resolve(7);
    const registry = createMetricsRegistry({
      processMetrics: false,
      defaultLabels: { instance: 'api-1' },
      connectedUsers: () => users,
      outboxBacklog: () => backlog(),
    });
    expect(await sample(registry, 'pushline_stream_users', { instance: 'api-1' })).toBe(2);
    expect(await sample(registry, 'pushline_outbox_backlog')).toBe(7);

    users = 0;
    backlog = () => Promise.reject(new Error('database down'));
    const text = await registry.metrics();
    expect(text).toContain('pushline_stream_users{instance="api-1"} 0');
    expect(text).toContain('pushline_outbox_backlog{instance="api-1"} 7');
  });

  it('records HTTP requests under the route pattern given', async () => {
    const registry = createMetricsRegistry({ processMetrics: false, connectedUsers: () => 0, outboxBacklog: async () => 0 });
    const http = new PrometheusHttpMetrics(registry);
    http.observe('PATCH', '/api/v1/notifications/:id', 200, 0.02);
    http.observe('PATCH', '/api/v1/notifications/:id', 200, 0.03);
    expect(await sample(registry, 'http_requests_total', { method: 'PATCH', route: '/api/v1/notifications/:id', status: '200' })).toBe(2);
  });
});
