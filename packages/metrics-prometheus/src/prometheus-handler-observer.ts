import type { HandlerOutcome, HandlerRunObserver } from '@pushline/domain';
import { Counter, Histogram, type Registry } from 'prom-client';

/** Per-handler runs and durations: `outcome` is ok · retry · dead. Handler runs are few; labels are fine. */
export class PrometheusHandlerObserver implements HandlerRunObserver {
  private readonly runs: Counter<'handler' | 'outcome'>;
  private readonly duration: Histogram<'handler'>;

  constructor(registry: Registry) {
    this.runs = new Counter({
      name: 'pushline_event_handler_runs_total',
      help: 'Event handler runs, by handler and outcome (ok, retry, dead)',
      labelNames: ['handler', 'outcome'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'pushline_event_handler_duration_seconds',
      help: 'Duration of one event handler run, by handler',
      labelNames: ['handler'],
      buckets: [0.001, 0.005, 0.025, 0.1, 0.5, 2.5, 10],
      registers: [registry],
    });
  }

  onRun(handler: string, outcome: HandlerOutcome, seconds: number): void {
    this.runs.inc({ handler, outcome });
    this.duration.observe({ handler }, seconds);
  }
}
