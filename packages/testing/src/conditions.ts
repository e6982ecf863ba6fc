/**
 * Promises on conditions over what a test client received: every `notify()` (a message arrived, a
 * connection opened) re-checks the pending ones. Tests await events this way, never a timer; the
 * timeout is only a failure bound.
 */
export class Conditions {
  private readonly waiters = new Set<() => void>();

  waitUntil(condition: () => boolean, describeFailure: () => string, timeoutMs: number): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!condition()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${describeFailure()}`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
