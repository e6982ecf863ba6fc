import { describe, expect, it } from '@jest/globals';
import { BatchedWrite } from './batched-write.js';

describe('BatchedWrite', () => {
  it('writes a lone item at once and the items added meanwhile together in the next statement', async () => {
    const statements: number[][] = [];
    let finishFirst!: () => void;
    const first = new Promise<void>((resolve) => (finishFirst = resolve));
    const writes = new BatchedWrite<number>(async (items) => {
      statements.push(items);
      if (statements.length === 1) await first;
    });

    const lone = writes.add(1);
    const later = [writes.add(2), writes.add(3), writes.add(4)];
    expect(statements).toEqual([[1]]);
    finishFirst();
    await Promise.all([lone, ...later]);

    expect(statements).toEqual([[1], [2, 3, 4]]);
  });

  it('rejects every item of a failed statement and goes on with the next', async () => {
    let calls = 0;
    const writes = new BatchedWrite<string>(async () => {
      calls += 1;
      if (calls === 1) throw new Error('database down');
    });

    const failed = writes.add('a');
    await expect(failed).rejects.toThrow('database down');
    await expect(writes.add('b')).resolves.toBeUndefined();
  });
});
