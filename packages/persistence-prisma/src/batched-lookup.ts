/**
 * Coalesces concurrent point lookups into one query: keys asked for while a query is in flight wait
 * and go together in the next one (at most `maxInFlight` queries at a time). When a storm of devices
 * opens streams at once, hundreds of "head cursor of user X" reads become a handful of
 * `WHERE user_id = ANY($1)` queries; a lone lookup still runs at once.
 */
export class BatchedLookup<K, V> {
  private readonly waiting = new Map<K, { resolve: (v: V) => void; reject: (e: unknown) => void }[]>();
  private inFlight = 0;

  constructor(
    /** Answers every key given; a key missing from the map gets `fallback`. */
    private readonly query: (keys: K[]) => Promise<Map<K, V>>,
    private readonly fallback: V,
    private readonly maxInFlight = 2,
    private readonly maxBatch = 500,
  ) {}

  get(key: K): Promise<V> {
    return new Promise((resolve, reject) => {
      const list = this.waiting.get(key);
      if (list) list.push({ resolve, reject });
      else this.waiting.set(key, [{ resolve, reject }]);
      this.flush();
    });
  }

  private flush(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.size > 0) {
      const batch = new Map<K, { resolve: (v: V) => void; reject: (e: unknown) => void }[]>();
      for (const [key, list] of this.waiting) {
        if (batch.size >= this.maxBatch) break;
        batch.set(key, list);
      }
      for (const key of batch.keys()) this.waiting.delete(key);
      this.inFlight += 1;
      void this.query([...batch.keys()])
        .then(
          (found) => {
            for (const [key, list] of batch) for (const w of list) w.resolve(found.has(key) ? found.get(key)! : this.fallback);
          },
          (error: unknown) => {
            for (const list of batch.values()) for (const w of list) w.reject(error);
          },
        )
        .finally(() => {
          this.inFlight -= 1;
          this.flush();
        });
    }
  }
}
