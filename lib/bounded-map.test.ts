import { describe, expect, it } from 'vitest';
import { BoundedMap } from './bounded-map';

describe('BoundedMap', () => {
  it('never holds more than its capacity, and keeps at least the most recent half', () => {
    const map = new BoundedMap<number, string>(100);
    for (let i = 0; i < 1_000; i += 1) {
      map.set(i, `v${i}`);
      expect(map.size).toBeLessThanOrEqual(100);
    }
    for (let i = 950; i < 1_000; i += 1) expect(map.get(i)).toBe(`v${i}`);
    expect(map.get(0)).toBeUndefined();
    expect(map.get(899)).toBeUndefined();
  });

  it('a hit in the older half survives the next turnover; an unused entry does not', () => {
    const map = new BoundedMap<string, number>(4);
    map.set('a', 1);
    map.set('b', 2);
    map.set('c', 3); // a and b become the older generation
    expect(map.get('a')).toBe(1); // carried into the newer one
    map.set('d', 4); // the newer generation is full: c and a become the older one, b is gone
    map.set('e', 5);
    expect(map.get('a')).toBe(1);
    expect(map.get('b')).toBeUndefined();
  });

  it('overwriting a key in the newer generation does not turn it over', () => {
    const map = new BoundedMap<string, number>(4);
    map.set('a', 1);
    map.set('b', 2);
    map.set('b', 3);
    expect(map.get('a')).toBe(1);
    expect(map.get('b')).toBe(3);
  });

  it('clear forgets everything', () => {
    const map = new BoundedMap<string, number>(4);
    map.set('a', 1);
    map.set('b', 2);
    map.set('c', 3);
    map.clear();
    expect(map.size).toBe(0);
    expect(map.get('a')).toBeUndefined();
  });

  it('refuses a capacity that could hold nothing', () => {
    expect(() => new BoundedMap(1)).toThrow(/capacity/);
    expect(() => new BoundedMap(2.5)).toThrow(/capacity/);
  });
});
