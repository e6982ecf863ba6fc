import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { Socket } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';

/**
 * Preloaded (`node --import`) into every measured server, Pushline and peers alike, so each reports
 * the same figures the same way over its IPC channel: event-loop delay since the last ask, heap, RSS.
 */
const delay = monitorEventLoopDelay({ resolution: 10 });

/**
 * Bytes the process holds for its sockets that the kernel has not taken yet (`writableLength` of every
 * open socket): what a slow reader costs the server, and what a buffer policy bounds. The same for
 * every target. `_getActiveHandles` is undocumented, and it is read only when asked for.
 */
function queuedMiB(): number {
  const handles = (process as unknown as { _getActiveHandles?: () => unknown[] })._getActiveHandles?.() ?? [];
  let bytes = 0;
  for (const h of handles) if (h instanceof Socket) bytes += h.writableLength;
  return bytes / 2 ** 20;
}
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
    process.send!({
      probe: { loopDelayP99Ms: delay.percentile(99) / 1e6, loopDelayMaxMs: delay.max / 1e6, heapUsedMiB: heapUsed / 2 ** 20, rssMiB: rss / 2 ** 20, queuedMiB: queuedMiB() },
    });
    delay.reset();
  });
}
