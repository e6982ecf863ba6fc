import { describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { PrometheusRelayMetrics } from './prometheus-relay-metrics.js';

describe('PrometheusRelayMetrics', () => {
  it('adds up the entries each drain batch published', async () => {
    const registry = new Registry();
    const metrics = new PrometheusRelayMetrics(registry);

    metrics.drained(3);
    metrics.drained(2);

    expect(await registry.metrics()).toContain('pushline_outbox_drained_total 5');
  });
});
