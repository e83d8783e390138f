import { ByteLru } from './byte-lru';

describe('ByteLru', () => {
  it('evicts the least recently used entries once the bytes exceed the bound', () => {
    const lru = new ByteLru<string>(100, 1000);
    lru.set('a', 'A', 20, 60_000);
    lru.set('b', 'B', 20, 60_000);
    lru.set('c', 'C', 20, 60_000);
    expect(lru.get('a')).toBe('A'); // a is now the most recent: b goes first
    lru.set('d', 'D', 25, 60_000);
    lru.set('e', 'E', 25, 60_000);
    expect(lru.bytes).toBeLessThanOrEqual(100);
    expect(lru.get('b')).toBeUndefined();
    expect(['a', 'c', 'd', 'e'].map((k) => lru.get(k))).toEqual(['A', 'C', 'D', 'E']);
    expect(lru.bytes).toBe(90);
  });

  it('bounds the number of entries too, and counts a replaced entry once', () => {
    const lru = new ByteLru<number>(1_000_000, 3);
    for (let i = 0; i < 5; i++) lru.set(`k${i}`, i, 10, 60_000);
    expect(lru.size).toBe(3);
    expect(lru.get('k1')).toBeUndefined();
    lru.set('k4', 40, 15, 60_000);
    expect(lru.get('k4')).toBe(40);
    expect(lru.bytes).toBe(35);
  });

  it('forgets expired entries and refuses a value larger than a quarter of the bound', () => {
    const lru = new ByteLru<string>(100, 10);
    lru.set('old', 'x', 10, 1000, 0);
    expect(lru.get('old', 999)).toBe('x');
    expect(lru.get('old', 1000)).toBeUndefined();
    expect(lru.bytes).toBe(0);
    expect(lru.set('big', 'y', 26, 60_000)).toBe(false);
    expect(lru.get('big')).toBeUndefined();
    lru.set('z', 'z', 10, 60_000);
    lru.clear();
    expect([lru.size, lru.bytes]).toEqual([0, 0]);
  });
});
