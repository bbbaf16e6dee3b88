/**
 * A map that holds at most `capacity` entries and forgets the least recently used half when full:
 * two generations of up to capacity / 2 each, the newer taking every write, a hit in the older
 * one copied into the newer. Every operation is O(1). (Evicting the oldest entry one at a time
 * from a single Map is not: V8 leaves deleted entries at the head of its table until the next
 * rehash, and `keys().next()` walks over all of them.)
 */
export class BoundedMap<K, V> {
  private newer = new Map<K, V>();
  private older = new Map<K, V>();
  private readonly half: number;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 2) throw new Error('BoundedMap needs a capacity of at least 2');
    this.half = Math.floor(capacity / 2);
  }

  get(key: K): V | undefined {
    const recent = this.newer.get(key);
    if (recent !== undefined) return recent;
    const earlier = this.older.get(key);
    if (earlier !== undefined) this.set(key, earlier);
    return earlier;
  }

  set(key: K, value: V): void {
    if (this.newer.size >= this.half && !this.newer.has(key)) {
      this.older = this.newer;
      this.newer = new Map();
    }
    this.newer.set(key, value);
  }

  clear(): void {
    this.newer = new Map();
    this.older = new Map();
  }

  /** Entries held, counting one copied between generations twice (never more than the capacity). */
  get size(): number {
    return this.newer.size + this.older.size;
  }
}
