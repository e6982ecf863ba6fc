import type { IdGenerator } from '@pushline/domain';

/** Predictable ids (`id-1`, `id-2`, …) so assertions can name them. */
export class SequentialIdGenerator implements IdGenerator {
  private count = 0;

  constructor(private readonly prefix = 'id') {}

  next(): string {
    this.count += 1;
    return `${this.prefix}-${this.count}`;
  }
}
