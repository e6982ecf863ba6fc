/**
 * Coalesces concurrent writes of one kind into one statement: items added while a statement is in
 * flight wait and go together in the next one (at most `maxInFlight` at a time); a lone item is
 * written at once. Every caller of a batch gets its outcome (a failed statement rejects them all).
 * The handler worker runs a claimed batch's jobs concurrently, so their audit rows and "done" marks
 * become one statement each instead of one per job.
 */
export class BatchedWrite<T> {
  private waiting: { item: T; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private inFlight = 0;

  constructor(
    private readonly write: (items: T[]) => Promise<unknown>,
    private readonly maxInFlight = 1,
    private readonly maxBatch = 500,
  ) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.flush();
    });
  }

  private flush(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      this.inFlight += 1;
      void this.write(batch.map((w) => w.item))
        .then(
          () => batch.forEach((w) => w.resolve()),
          (error: unknown) => batch.forEach((w) => w.reject(error)),
        )
        .finally(() => {
          this.inFlight -= 1;
          this.flush();
        });
    }
  }
}
