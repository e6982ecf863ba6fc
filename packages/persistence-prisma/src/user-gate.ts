/**
 * In-process turns per user for the one-statement write path. Its units read a user's counter without
 * a lock and are checked when written, so two units of one user in flight at once would make one of
 * them stale and run again; here the second waits (as it would on the row lock in the interactive
 * transaction) and then reads what the first committed. Units on other instances are still caught by
 * the statement's check. A unit holding one user's turn never waits for a second one (no deadlock
 * between units that take them in other orders): it gets `false` and takes the transaction instead.
 */
export class UserGate {
  private readonly tails = new Map<string, Promise<void>>();

  /** Waits for the user's turn when the caller holds none, else takes it only if free; the release, or null. */
  async enter(userId: string, holdsOthers: boolean): Promise<(() => void) | null> {
    const previous = this.tails.get(userId);
    if (previous && holdsOthers) return null;
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = (previous ?? Promise.resolve()).then(() => mine);
    this.tails.set(userId, tail);
    if (previous) await previous;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
      // The last in line leaves no entry behind.
      if (this.tails.get(userId) === tail) this.tails.delete(userId);
    };
  }
}
