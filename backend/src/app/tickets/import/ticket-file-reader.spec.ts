import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAPPED_ID_MIN, mappedTicketId } from '../ticket-ids';
import { detectFormat, ImportRow, readTicketFile } from './ticket-file-reader';

describe('ticket file reader: real export files', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pim-reader-spec-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function rows(name: string, content: string): Promise<ImportRow[]> {
    const path = join(dir, name);
    writeFileSync(path, content);
    const out: ImportRow[] = [];
    for await (const row of readTicketFile(path, await detectFormat(path, name))) out.push(row);
    return out;
  }

  it('reads a `.json` export as one ticket per line when its first line is 200 KB', async () => {
    const big = JSON.stringify({ id: 1, subject: 'Busy', description: 'x'.repeat(200_000) });
    const path = join(dir, 'export.json');
    writeFileSync(path, `${big}\n${JSON.stringify({ id: 2, subject: 'Next' })}\n`);
    expect(await detectFormat(path, 'export.json')).toBe('jsonl');
    const read = await rows('export.json', `${big}\n${JSON.stringify({ id: 2, subject: 'Next' })}\n`);
    expect(read.map((r) => ('ticket' in r ? r.ticket.zendeskId : r.error))).toEqual([1, 2]);
  });

  it('keeps comment kinds, reads html_body with the sync text and drops odd custom field values with a note', async () => {
    const [row] = await rows(
      'one.jsonl',
      JSON.stringify({
        id: 5,
        subject: 'Call',
        custom_fields: [
          { id: 1, value: 'plan_enterprise' },
          { id: 2, value: { nested: true } },
          { id: 'x', value: 'no id' },
          { id: 4, value: ['eu', 'de\u0000'] },
        ],
        satisfaction_rating: 'good',
        via: { channel: 'voice' },
        comments: [
          { type: 'VoiceComment', body: 'Transcript: the app froze', public: true },
          { html_body: '<p>A&nbsp;note<br>two lines</p>', public: false },
        ],
      }),
    );
    if (!row || !('ticket' in row)) throw new Error(JSON.stringify(row));
    expect(row.ticket).toMatchObject({
      channel: 'voice',
      satisfaction: 'good',
      customFields: [
        { id: 1, value: 'plan_enterprise' },
        { id: 4, value: ['eu', 'de'] },
      ],
    });
    expect(row.ticket.comments!.map((c) => [c.kind, c.body, c.public])).toEqual([
      ['VoiceComment', 'Transcript: the app froze', true],
      [undefined, 'A\u00a0note\ntwo lines', false],
    ]);
    expect(row.notes).toEqual([
      'custom_fields[1].value is not text, a number, a checkbox or a list: dropped',
      expect.stringMatching(/^custom_fields\[2\]\.id "x" is not a Zendesk id/),
    ]);
  });

  it('maps ticket keys into the reserved range and keeps them; Zendesk ids stay as they are', async () => {
    const read = await rows(
      'keys.jsonl',
      ['"TCK-1042"', '" banking_0001 "', '"1042"', '"abc"', '"has space 1"', String(MAPPED_ID_MIN)]
        .map((id) => `{"id": ${id}, "subject": "s"}`)
        .join('\n'),
    );
    expect(read.map((r) => ('ticket' in r ? [r.ticket.zendeskId, r.ticket.originalId] : r.error.slice(0, 40)))).toEqual(
      [
        [mappedTicketId('TCK-1042'), 'TCK-1042'],
        [mappedTicketId('banking_0001'), 'banking_0001'],
        [1042, null],
        'id must be a positive integer or a ticke',
        'id must be a positive integer or a ticke',
        'id must be a positive integer below 4503',
      ],
    );
    expect(mappedTicketId('TCK-1042')).toBeGreaterThanOrEqual(MAPPED_ID_MIN);
    expect(mappedTicketId('TCK-1042', 1)).not.toBe(mappedTicketId('TCK-1042'));
  });
});
