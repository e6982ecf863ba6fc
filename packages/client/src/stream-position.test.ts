import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { fullJitterDelay } from './backoff.js';
import { parseStreamId, StreamPosition } from './stream-position.js';

describe('StreamPosition', () => {
  it('drops an event at or below the cursor, and one seen before by id', () => {
    const position = new StreamPosition(4);
    expect(position.accept('a', '4')).toBe(false);
    expect(position.accept('b', '5')).toBe(true);
    expect(position.accept('b', '6')).toBe(false);
    expect(position.accept('c', null)).toBe(true);
    expect(position.accept('c', null)).toBe(false);
    expect(position.cursor).toBe(5);
    position.advanceTo('3');
    expect(position.cursor).toBe(5);
    position.resetTo(2);
    expect(position.cursor).toBe(2);
  });

  it('reads the combined id: each frame moves the own or the tenant position on, and resumes from both', () => {
    const position = new StreamPosition('41');
    expect(position.id).toBe('41');
    expect(position.accept('own', '42')).toBe(true);
    expect(position.accept('broadcast', '42.1')).toBe(true);
    expect(position.id).toBe('42.1');
    // The same broadcast again (another transport, a replay after a hand-over): neither position moves.
    expect(position.accept('broadcast-again', '42.1')).toBe(false);
    expect(position.accept('old-own', '41.1')).toBe(false);
    expect(position.accept('next-own', '43.1')).toBe(true);
    expect({ cursor: position.cursor, tenant: position.tenant, id: position.id }).toEqual({ cursor: 43, tenant: 1, id: '43.1' });
  });

  it('resets the stream the server names: a tenant reset keeps the own cursor', () => {
    const position = new StreamPosition('10.4');
    position.resetTo(9, 'tenant');
    expect(position.id).toBe('10.9');
    position.resetTo(3);
    expect(position.id).toBe('3.9');
    expect(new StreamPosition(null).id).toBeNull();
  });

  it('takes an id learned from another tab only forward, per stream', () => {
    const position = new StreamPosition('5.5');
    position.advanceTo('7.2');
    expect(position.id).toBe('7.5');
    position.advanceTo('not an id');
    expect(position.id).toBe('7.5');
  });

  it('accepts every entry of either stream exactly once, however often and in what mix it is re-sent (property)', () => {
    // A run of the two streams as the server numbers it: each frame's id is the position after it.
    const run = fc.array(fc.boolean(), { minLength: 1, maxLength: 60 }).map((isTenant) => {
      let p = 0;
      let t = 0;
      return isTenant.map((tenant, i) => {
        if (tenant) t += 1;
        else p += 1;
        return { envelope: `e${i}`, id: t === 0 ? String(p) : `${p}.${t}` };
      });
    });
    fc.assert(
      fc.property(run, fc.array(fc.nat(), { maxLength: 80 }), (frames, replays) => {
        const position = new StreamPosition(0);
        const accepted: string[] = [];
        // Deliver in order, and after each frame re-send one already delivered (a replay from an older id).
        frames.forEach((frame, i) => {
          if (position.accept(frame.envelope, frame.id)) accepted.push(frame.envelope);
          const replay = frames[replays.length > 0 ? replays[i % replays.length]! % (i + 1) : i]!;
          // Another envelope id, so only the stream id can tell it is old.
          if (position.accept(`${replay.envelope}-again`, replay.id)) accepted.push(replay.envelope);
        });
        expect(accepted).toEqual(frames.map((f) => f.envelope));
        expect(position.id).toBe(frames.at(-1)!.id);
      }),
      { seed: 10_012, numRuns: 300 },
    );
  });

  it('parses ids as the server sends them, and nothing else', () => {
    expect(parseStreamId('41.7')).toEqual({ personal: 41, tenant: 7 });
    expect(parseStreamId('41')).toEqual({ personal: 41, tenant: 0 });
    expect(parseStreamId(41)).toEqual({ personal: 41, tenant: 0 });
    for (const bad of ['41.', '.7', '1.2.3', '-1', 'x', '', null, 1.5]) expect(parseStreamId(bad)).toBeNull();
  });
});

describe('fullJitterDelay', () => {
  it('is uniform in [0, min(max, initial·2ⁿ)]', () => {
    const options = { initialMs: 500, maxMs: 30_000 };
    expect([0, 1, 2, 5, 6, 40].map((n) => fullJitterDelay(n, options, () => 0.999999))).toEqual([499, 999, 1999, 15999, 29999, 29999]);
    expect(fullJitterDelay(3, options, () => 0)).toBe(0);
    expect(fullJitterDelay(0, {}, () => 0.5)).toBe(250);
  });
});
