import { describe, expect, it } from '@jest/globals';
import { BatchedLookup } from './batched-lookup.js';

describe('BatchedLookup', () => {
  it('answers keys asked together in one query, and a lone key at once', async () => {
    const queries: string[][] = [];
    const lookup = new BatchedLookup<string, number>(async (keys) => {
      queries.push(keys);
      return new Map(keys.filter((k) => k !== 'missing').map((k) => [k, k.length]));
    }, -1, 1);

    const answers = await Promise.all(['a', 'bb', 'ccc', 'bb', 'missing'].map((k) => lookup.get(k)));

    expect(answers).toEqual([1, 2, 3, 2, -1]);
    // The first key went alone (nothing was in flight); the rest waited and went together, once each.
    expect(queries).toEqual([['a'], ['bb', 'ccc', 'missing']]);
  });

  it('never answers a key with a query that started before it was asked', async () => {
    let release: () => void = () => {};
    let version = 0;
    const lookup = new BatchedLookup<string, number>(async () => {
      const seen = ++version;
      await new Promise<void>((r) => (release = r));
      return new Map([['k', seen]]);
    }, 0, 1);

    const first = lookup.get('k');
    const second = lookup.get('k'); // asked while the first query runs
    release();
    await expect(first).resolves.toBe(1);
    await new Promise((r) => setImmediate(r));
    release();
    await expect(second).resolves.toBe(2);
  });

  it('rejects every waiter of a failed query, and the next query runs', async () => {
    let fail = true;
    const lookup = new BatchedLookup<string, number>(async (keys) => {
      if (fail) throw new Error('database down');
      return new Map(keys.map((k) => [k, 1]));
    }, 0);

    await expect(Promise.all([lookup.get('a'), lookup.get('b')])).rejects.toThrow('database down');
    fail = false;
    await expect(lookup.get('a')).resolves.toBe(1);
  });
});
