/**
 * Waits for a condition that can only be observed by asking (an API's log, a process's tally): checks
 * it every `everyMs` until it holds. The timeout is a failure bound, not a delay.
 */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000, everyMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
