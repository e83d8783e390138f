import { JsonDocument } from './json-document';

const doc = (value: unknown, space?: number) => new JsonDocument(Buffer.from(JSON.stringify(value, null, space)));

describe('JsonDocument', () => {
  const page = {
    tickets: [
      { id: 1, subject: 'Quotes " and \\ backslashes \\" inside', tags: ['a', 'b'], nested: { x: [1, { y: '}]' }] } },
      { id: 2, subject: 'Ünïcödé 😀 — \u2028 and \u0000 escapes', description: '{"not": "json"}', n: -1.5e3 },
      { id: 3, subject: '', custom_fields: [], via: null, ok: true },
    ],
    users: [],
    organizations: null,
    after_cursor: 'abc==',
    end_of_stream: false,
    count: 3,
  };

  it.each([undefined, 2])('reads the same values as JSON.parse (indent %s)', (space) => {
    const d = doc(page, space);
    expect([...d.elements('tickets')]).toEqual(page.tickets);
    expect([...d.elements('users')]).toEqual([]);
    expect([...d.elements('organizations')]).toEqual([]);
    expect([...d.elements('absent')]).toEqual([]);
    expect(d.value('after_cursor')).toBe('abc==');
    expect(d.value('end_of_stream')).toBe(false);
    expect(d.value('count')).toBe(3);
    expect(d.value('absent')).toBeUndefined();
    expect(d.count('tickets')).toBe(3);
    expect(d.count('users')).toBe(0);
  });

  it('parses elements only when reached', () => {
    const d = new JsonDocument(Buffer.from('{"items": [{"a": 1}, {"a": 2}, {"broken": }], "next": null}'));
    const items = d.elements('items');
    expect(items.next().value).toEqual({ a: 1 });
    expect(items.next().value).toEqual({ a: 2 });
    expect(() => items.next()).toThrow(SyntaxError);
    expect(d.value('next')).toBeNull();
  });

  it('matches JSON.parse on random documents', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const chars = ['a', '"', '\\', '{', '}', '[', ']', ',', ':', ' ', '\n', 'é', '😀', '\u0001'];
    const str = () =>
      Array.from({ length: Math.floor(rnd() * 12) }, () => chars[Math.floor(rnd() * chars.length)]).join('');
    const value = (depth: number): unknown => {
      const r = rnd();
      if (depth > 3 || r < 0.3) return [str(), Math.floor(rnd() * 1e6) / 7, true, false, null][Math.floor(rnd() * 5)];
      if (r < 0.65) return Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(rnd() * 4) }, () => [str(), value(depth + 1)]));
    };
    for (let i = 0; i < 200; i++) {
      const v = { items: Array.from({ length: Math.floor(rnd() * 5) }, () => value(0)), other: value(0) };
      const d = doc(v, i % 2 ? 1 : undefined);
      expect([...d.elements('items')]).toEqual(v.items);
      expect(d.value('other')).toEqual(v.other);
    }
  });

  it('frees a response body of its own on release, and never a pooled buffer', () => {
    const big = Buffer.from(new Uint8Array(Buffer.from(JSON.stringify({ items: ['x'.repeat(100_000)] }))).buffer);
    const d = new JsonDocument(big);
    d.release();
    expect(big.buffer.byteLength).toBe(0);
    const pooled = Buffer.from('{"a": [1, 2]}');
    const small = new JsonDocument(pooled);
    small.release();
    expect([...small.elements('a')]).toEqual([1, 2]);
  });

  it('refuses what is not a JSON object', () => {
    for (const bad of ['[1,2]', '{"a": 1', '{"a" 1}', '{"a": 1} x', '{"a": "x}', ''])
      expect(() => new JsonDocument(Buffer.from(bad))).toThrow(SyntaxError);
    expect(() => [...new JsonDocument(Buffer.from('{"a": 5}')).elements('a')]).toThrow(SyntaxError);
  });
});
