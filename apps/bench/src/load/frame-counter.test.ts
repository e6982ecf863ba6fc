import { describe, expect, it } from '@jest/globals';
import { SseFrameCounter } from './frame-counter.js';

/** 100 notifications, each followed by its badge frame, as Pushline sends them; stamps on the notifications. */
const stream = Buffer.from(
  ': open\n\n' +
    Array.from({ length: 200 }, (_, i) =>
      i % 2 === 0
        ? `id: ${i + 1}\nevent: notification.created\ndata: {"data":{"t":${i + 1}.5}}\n\n`
        : `id: ${i + 1}\nevent: notification.counts\ndata: {"unseen":3}\n\n`,
    ).join(''),
);

function feed(counter: SseFrameCounter, chunkBytes: number): SseFrameCounter {
  for (let at = 0; at < stream.length; at += chunkBytes) counter.feed(stream.subarray(at, at + chunkBytes));
  return counter;
}

describe('counting SSE frames on raw bytes', () => {
  it.each([1, 7, 31, 1000, stream.length])('counts every id: line, %i bytes at a time, with no gaps or duplicates', (chunk) => {
    const counter = feed(new SseFrameCounter(), chunk);
    expect([counter.frames, counter.gaps, counter.duplicates, counter.lastId]).toEqual([200, 0, 0, 200]);
  });

  it.each([1, 7, 31, 1000, stream.length])('leaves frames of the uncounted event out of the count but not out of the ids, %i bytes at a time', (chunk) => {
    const counter = feed(new SseFrameCounter(undefined, 'notification.counts'), chunk);
    expect([counter.frames, counter.gaps, counter.duplicates, counter.lastId]).toEqual([100, 0, 0, 200]);
  });

  it('reads the send stamp of each notification on a probe, never from a badge frame', () => {
    const stamps: number[] = [];
    feed(new SseFrameCounter((t) => stamps.push(t), 'notification.counts'), stream.length);
    expect(stamps).toEqual(Array.from({ length: 100 }, (_, i) => 2 * i + 1.5));
  });

  it('counts a skipped id as a gap and a repeated one as a duplicate', () => {
    const counter = new SseFrameCounter();
    counter.feed(Buffer.from('id: 1\ndata: a\n\nid: 3\ndata: b\n\nid: 3\ndata: b\n\n'));
    expect([counter.frames, counter.gaps, counter.duplicates]).toEqual([3, 1, 1]);
  });

  it('starts each connection afresh: a line cut off when the last one dropped is not read into the next', () => {
    const counter = new SseFrameCounter();
    counter.feed(Buffer.from('id: 1\ndata: a\n\nid: 2'));
    counter.startConnection();
    counter.feed(Buffer.from(': connected\n\nid: 2\ndata: b\n\n'));
    expect([counter.frames, counter.gaps, counter.duplicates, counter.lastId]).toEqual([2, 0, 0, 2]);
  });
});
