import { describe, expect, it } from '@jest/globals';
import { ReplayCursor } from './replay-cursor.js';

describe('ReplayCursor', () => {
  it('starts at 0, level, with 1 as the next cursor', () => {
    const cursor = new ReplayCursor();
    expect(cursor.position).toBe(0);
    expect(cursor.isLevel).toBe(true);
    expect(cursor.isNext(1)).toBe(true);
    expect(cursor.covers(0)).toBe(true);
    expect(cursor.covers(1)).toBe(false);
  });

  it('moves on only to cursors ahead of it', () => {
    const cursor = new ReplayCursor();
    cursor.moveTo(5);
    expect(cursor.advanceTo(5)).toBe(false);
    expect(cursor.advanceTo(3)).toBe(false);
    expect(cursor.position).toBe(5);
    expect(cursor.advanceTo(7)).toBe(true);
    expect(cursor.position).toBe(7);
    expect([cursor.covers(7), cursor.covers(8), cursor.isNext(8), cursor.isNext(9)]).toEqual([true, false, true, false]);
  });

  it('is not level while a cursor seen live lies beyond it, until it gets there', () => {
    const cursor = new ReplayCursor();
    cursor.moveTo(2);
    cursor.saw(4);
    expect(cursor.isLevel).toBe(false);
    cursor.advanceTo(3);
    expect(cursor.isLevel).toBe(false);
    cursor.advanceTo(4);
    expect(cursor.isLevel).toBe(true);
  });

  it('never forgets a cursor seen live when it is placed, and level() settles what was seen', () => {
    const cursor = new ReplayCursor();
    cursor.saw(9);
    cursor.moveTo(3);
    expect(cursor.isLevel).toBe(false);
    cursor.saw(2);
    cursor.level();
    expect(cursor.isLevel).toBe(true);
    expect(cursor.position).toBe(3);
  });
});
