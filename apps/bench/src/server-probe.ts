import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';

/**
 * Preloaded (`node --import`) into every measured server, Pushline and peers alike, so each reports
 * the same figures the same way over its IPC channel: event-loop delay since the last ask, heap, RSS.
 */
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
if (process.send) {
  process.channel?.unref();
  // A CPU profile of a measured window only (start-up excluded): `{ profile: 'start' | <file> }`.
  let session: Session | undefined;
  process.on('message', (message: unknown) => {
    const { profile, heapSnapshot } = (message ?? {}) as { profile?: string; heapSnapshot?: string };
    if (heapSnapshot) {
      writeHeapSnapshot(heapSnapshot);
      process.send!({ heapSnapshot });
      return;
    }
    if (profile === 'start') {
      session = new Session();
      session.connect();
      session.post('Profiler.enable', () => session!.post('Profiler.start'));
      return;
    }
    if (profile && session) {
      const s = session;
      session = undefined;
      s.post('Profiler.stop', (err, result) => {
        if (!err) writeFileSync(profile, JSON.stringify(result.profile));
        s.disconnect();
      });
      return;
    }
    if (message !== 'probe') return;
    const { heapUsed, rss } = process.memoryUsage();
    process.send!({ probe: { loopDelayP99Ms: delay.percentile(99) / 1e6, loopDelayMaxMs: delay.max / 1e6, heapUsedMiB: heapUsed / 2 ** 20, rssMiB: rss / 2 ** 20 } });
    delay.reset();
  });
}
