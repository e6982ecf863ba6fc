import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * Preloaded (`node --import`) into every measured server, Pushline and peers alike, so each reports
 * the same figures the same way over its IPC channel: event-loop delay since the last ask, heap, RSS.
 */
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
if (process.send) {
  process.channel?.unref();
  process.on('message', (message: unknown) => {
    if (message !== 'probe') return;
    const { heapUsed, rss } = process.memoryUsage();
    process.send!({ probe: { loopDelayP99Ms: delay.percentile(99) / 1e6, loopDelayMaxMs: delay.max / 1e6, heapUsedMiB: heapUsed / 2 ** 20, rssMiB: rss / 2 ** 20 } });
    delay.reset();
  });
}
