import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './cli';
import { ZendeskDataset } from './dataset';
import { exportDatasetToFile, exportDatasetToString, MineInputLine } from './export';

const END = Date.UTC(2025, 5, 2, 12, 0, 0);

describe('dataset export', () => {
  const ds = new ZendeskDataset({ tickets: 150, seed: 8, endTime: END });
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'zd-sim-export-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes JSONL in the mine CLI input shape, one live ticket a line', async () => {
    const text = await exportDatasetToString(ds, { format: 'jsonl', includeLabels: true });
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as MineInputLine);
    expect(lines).toHaveLength(ds.liveTicketIds().length);
    const first = lines[0] as MineInputLine;
    expect(first).toMatchObject({ id: expect.any(Number), subject: expect.any(String), body: expect.any(String), created_at: expect.any(String) });
    expect(first.body).toBe(ds.getTicket(first.id)?.description);
    expect(first.comments).toHaveLength(ds.commentCountOf(first.id) - 1);
    expect(lines.some((l) => l.comments.some((c) => !c.public))).toBe(true);
    expect(first.label?.plantedProblem).toBe(ds.labelOf(first.id)?.plantedProblem);
    const plain = await exportDatasetToString(ds, { format: 'jsonl' });
    expect(plain).not.toContain('"label"');
    expect(plain).not.toContain('plantedProblem');
  });

  it('writes Zendesk export JSON (document and NDJSON) with comments embedded', async () => {
    const file = join(dir, 'export.json');
    const result = await exportDatasetToFile(ds, file, { format: 'zendesk-json', includeDeleted: true });
    expect(result.tickets).toBe(150);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { tickets: Array<{ id: number; comments: unknown[]; status: string }>; users: unknown[]; organizations: unknown[]; count: number };
    expect(doc.count).toBe(150);
    expect(doc.tickets).toHaveLength(150);
    expect(doc.tickets.some((t) => t.status === 'deleted')).toBe(true);
    expect(doc.tickets[0]?.comments.length).toBe(ds.commentCountOf(doc.tickets[0]?.id as number));
    expect(doc.users.length).toBe(ds.userCount);
    expect(doc.organizations.length).toBe(60);
    const nd = await exportDatasetToString(ds, { format: 'zendesk-ndjson' });
    const firstLine = JSON.parse(nd.split('\n')[0] as string) as { id: number; comments: Array<Record<string, unknown>> };
    expect(firstLine.comments[0]).toHaveProperty('html_body');
    expect(firstLine.comments[0]).not.toHaveProperty('role');
  });

  it('writes the ground truth labels with planted PII', async () => {
    const text = await exportDatasetToString(ds, { format: 'labels-jsonl', includeDeleted: true });
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as { id: number; plantedProblem: string | null; pii: unknown[] });
    expect(lines).toHaveLength(150);
    expect(lines.filter((l) => l.pii.length > 0).map((l) => l.id)).toEqual(ds.ticketsWithPii());
  });

  it('the CLI export command writes a file', async () => {
    const file = join(dir, 'cli.jsonl');
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await main(['export', '--out', file, '--tickets', '40', '--seed', '3']);
    } finally {
      write.mockRestore();
    }
    expect(readFileSync(file, 'utf8').trim().split('\n').length).toBeGreaterThan(35);
  });
});
