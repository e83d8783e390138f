import { jsonArrayRecords } from '@app/common/json-document';
import { BoundedRecord, boundedCsvRecords, boundedLines } from './bounded-records';

/** The bytes of `text` in chunks of `size` (1: every boundary, including inside multi-byte characters). */
async function* chunked(text: string | Buffer, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const collect = async (records: AsyncIterable<BoundedRecord>) => {
  const out: (string | { line: number; error: string })[] = [];
  for await (const r of records)
    out.push('error' in r ? { line: r.line, error: r.error } : `${r.line}:${r.bytes.toString('utf8')}`);
  return out;
};

const csv = (text: string, size: number, max: number) =>
  collect(boundedCsvRecords((offset) => chunked(Buffer.from(text).subarray(offset), size), max));

describe('bounded record splitters', () => {
  describe.each([1, 3, 65_536])('in chunks of %i bytes', (size) => {
    it('splits JSONL lines (multi-byte characters whole), skipping a line over the cap by its line', async () => {
      const text = `{"a":"é😀"}\n\n${'x'.repeat(100)}\r\n{"b":2}`;
      expect(await collect(boundedLines(chunked(text, size), 50))).toEqual([
        '1:{"a":"é😀"}',
        { line: 3, error: expect.stringMatching(/a record of 101 bytes is larger than 50 bytes/) },
        '4:{"b":2}',
      ]);
    });

    it('splits CSV records at line feeds outside quotes, skipping a record over the cap to its end', async () => {
      const text = `id,subject\n1,"two\nlines, ""quoted"""\r\n2,"${'y\n'.repeat(40)}"\n3,ok\n`;
      expect(await csv(text, size, 50)).toEqual([
        '1:id,subject',
        '2:1,"two\nlines, ""quoted"""',
        { line: 4, error: expect.stringMatching(/larger than 50 bytes/) },
        '45:3,ok',
      ]);
    });

    it('reads CSV again after a quote that never closes, and after one closed where no field ends', async () => {
      const unclosed = `id,s\n1,ok\n2,"never closed\n3,fine\n4,fine\n`;
      expect(await csv(unclosed, size, 1000)).toEqual([
        '1:id,s',
        '2:1,ok',
        { line: 3, error: expect.stringMatching(/never closed/) },
        '4:3,fine',
        '5:4,fine',
      ]);
      const stray = `id,s\n2,"stray\n3,"Three","x"\n4,fine\n`;
      expect(await csv(stray, size, 1000)).toEqual([
        '1:id,s',
        { line: 2, error: expect.stringMatching(/lines 2–3 read as one record/) },
        '3:3,"Three","x"',
        '4:4,fine',
      ]);
    });

    it('streams the records array of a JSON document, skipping an element over the cap and other keys unheld', async () => {
      const doc = JSON.stringify({
        users: [{ name: 'x'.repeat(500) }],
        tickets: [{ id: 1, s: 'a]}"\\' }, 'plain', 7, { id: 2, s: 'z'.repeat(200) }, [1, [2]], null, { id: 3 }],
        next_page: null,
      });
      const out: unknown[] = [];
      for await (const r of jsonArrayRecords(chunked(doc, size), {
        key: 'tickets',
        maxBytes: 100,
        oversize: (n) => `too big: ${n}`,
      }))
        out.push('error' in r ? r : [r.index, JSON.parse(r.bytes.toString('utf8'))]);
      expect(out).toEqual([
        [1, { id: 1, s: 'a]}"\\' }],
        [2, 'plain'],
        [3, 7],
        { index: 4, error: `too big: ${JSON.stringify({ id: 2, s: 'z'.repeat(200) }).length}` },
        [5, [1, [2]]],
        [6, null],
        [7, { id: 3 }],
      ]);
      // The records of `text`'s `tickets` array (or of a bare array), parsed, or their errors.
      const records = async (text: string) => {
        const out: unknown[] = [];
        for await (const r of jsonArrayRecords(chunked(text, size), {
          key: 'tickets',
          maxBytes: 100,
          oversize: String,
        }))
          out.push('error' in r ? r : JSON.parse(r.bytes.toString('utf8')));
        return out;
      };
      const array = await records(' [ {"id": 1} , 2 ] ');
      expect(array).toEqual([{ id: 1 }, 2]);
      const broken = await records('{"tickets": [{"id": 1}, {"id": ');
      expect(broken).toEqual([{ id: 1 }, { index: 2, error: expect.stringMatching(/ends inside a value/) }]);
    });
  });
});
