import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MineLine, parseMineArgs, runMine } from './mine-command';

/**
 * `npm run mine` in-process (its `runMine`), on the embedded in-memory PGlite with the local analyzer: the real
 * import reader, analysis and clustering steps.
 */
describe('mine CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mine-spec-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
    let stdout = '';
    let stderr = '';
    const code = await runMine(argv, {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      env: { NODE_ENV: 'test', ...env },
    });
    return { code, stdout, stderr };
  }
  const readLines = (file: string): MineLine[] =>
    readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as MineLine);

  const JSONL = [
    { id: 11, subject: 'CSV export times out', body: 'Exporting the sales report to CSV times out after 60 seconds.' },
    {
      id: 12,
      subject: 'Export to CSV fails',
      // In the reporter's own words (descriptions ≥ 0.4 alike read as one template filled in twice: not linked).
      body: 'Our monthly sales numbers never arrive as a file: the CSV download spins and then gives up.',
    },
    'this is not json',
    { id: 13, subject: 'How do I change my invoice address?', body: 'Where can I update the billing address?' },
    { id: 'abc', subject: 'bad id' },
    { id: 14, subject: 'iOS app crashes at login', body: 'The iOS app crashes when anyone on our team logs in.' },
    { id: 15, subject: 'Change invoice address', body: 'How can I change the billing address on my invoices?' },
  ]
    .map((r) => (typeof r === 'string' ? r : JSON.stringify(r)))
    .join('\n');

  it('mines a JSONL file: one line per good ticket, bad lines reported by number, --similar, --all-tickets', async () => {
    const input = join(dir, 'tickets.jsonl');
    const output = join(dir, 'out.jsonl');
    writeFileSync(input, `${JSONL}\n`);
    const { code, stdout, stderr } = await run([
      '--input',
      input,
      '--output',
      output,
      '--similar',
      '2',
      '--all-tickets',
    ]);
    expect(code).toBe(0);
    expect(stderr).toContain(`${input}:3: invalid JSON`);
    expect(stderr).toContain(`${input}:5: id must be a positive integer`);

    const lines = readLines(output);
    expect(lines.map((l) => l.id)).toEqual([11, 12, 13, 14, 15]);
    const byId = new Map(lines.map((l) => [l.id, l]));
    // --all-tickets: every ticket has a (topic) cluster, also those without a product issue.
    for (const l of lines) {
      expect(l.clusterId).toEqual(expect.any(String));
      expect(l.clusterName).toEqual(expect.any(String));
      expect(l.similar!.length).toBeLessThanOrEqual(2);
      expect(l.similar).not.toContain(l.id);
    }
    expect(byId.get(11)!.clusterId).toBe(byId.get(12)!.clusterId);
    expect(byId.get(11)!.clusterId).not.toBe(byId.get(14)!.clusterId);
    expect(byId.get(11)!.similar![0]).toBe(12);
    expect(byId.get(13)!.similar![0]).toBe(15);
    // --similar also groups likely duplicate reports (mutual best matches that stand out).
    expect(byId.get(11)!.duplicates).toEqual([12]);
    expect(byId.get(12)!.duplicates).toEqual([11]);
    expect(byId.get(14)!.duplicates).toEqual([]);
    // The analyzer's view of each ticket.
    const crash = byId.get(14)!;
    expect(crash.issues.length).toBeGreaterThan(0);
    expect(crash.issueType).toBe('bug');
    expect(crash.category).toBe(crash.issues[0]!.category);
    expect(crash.issues[0]!.clusterId).toEqual(expect.any(String));
    // Topic issues are not reported as product issues.
    for (const l of lines) for (const i of l.issues) expect(i.category).not.toBe('_topic');
    // Summary table on stdout.
    expect(stdout).toContain('5 tickets (2 rejected rows)');
    expect(stdout).toMatch(/\n\s+2\s+[0-9a-f]{8}\s+\S/);
  });

  it('mines a CSV file; without --all-tickets only tickets with a product issue get a cluster', async () => {
    const input = join(dir, 'tickets.csv');
    const output = join(dir, 'out-csv.jsonl');
    writeFileSync(
      input,
      [
        'id,subject,description,created_at',
        '21,iOS app crashes at login,"The iOS app crashes when anyone on our team logs in, we are all blocked.",2026-01-05',
        '22,bad date,something,not-a-date',
        '23,Thank you,"Thanks for the quick help, all good now.",2026-01-06',
      ].join('\n') + '\n',
    );
    const { code, stderr } = await run(['--input', input, '--output', output]);
    expect(code).toBe(0);
    expect(stderr).toContain(`${input}:3: created_at must be a date`);
    const lines = readLines(output);
    expect(lines.map((l) => l.id)).toEqual([21, 23]);
    expect(lines[0]!.clusterId).toEqual(expect.any(String));
    expect(lines[0]!.severity).toEqual(expect.any(String));
    expect(lines[1]!.issues).toEqual([]);
    expect(lines[1]!.clusterId).toBeNull();
    expect(lines[0]!.similar).toBeUndefined();
    expect(lines[0]!.duplicates).toBeUndefined();
  });

  it('mines a file keyed by another tool: one line per input ticket, named (and listed as similar) by its own id', async () => {
    const input = join(dir, 'keyed.jsonl');
    const output = join(dir, 'out-keyed.jsonl');
    const rows = [
      {
        id: 'TCK-1042',
        subject: 'CSV export times out',
        body: 'Exporting the sales report to CSV times out after 60 seconds.',
      },
      { id: 'TCK-1043', subject: 'Export to CSV fails', body: 'The CSV export of the sales report never finishes.' },
      { id: 'banking_0001', subject: 'iOS app crashes at login', body: 'The iOS app crashes when anyone logs in.' },
      {
        id: '3f0c2a4e-9b1d-4c7e-8a55-1e2d3c4b5a69',
        subject: 'Change invoice address',
        body: 'How can I change the billing address?',
      },
      { id: 31, subject: 'Update billing address', body: 'Where can I update the billing address on invoices?' },
    ];
    writeFileSync(input, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const { code, stderr, stdout } = await run(['--input', input, '--output', output, '--similar', '2']);
    expect(code).toBe(0);
    expect(stderr).not.toContain('skipped');
    expect(stdout).toContain('5 tickets (0 rejected rows)');
    const lines = readLines(output);
    expect(lines.map((l) => l.id)).toEqual(rows.map((r) => r.id));
    const ids = new Set(rows.map((r) => r.id));
    for (const l of lines) {
      for (const s of l.similar!) expect(ids.has(s)).toBe(true);
    }
    expect(lines[0]!.similar![0]).toBe('TCK-1043');
    expect(lines[3]!.similar![0]).toBe(31);
    expect(lines[4]!.similar![0]).toBe('3f0c2a4e-9b1d-4c7e-8a55-1e2d3c4b5a69');
  });

  it('rejects bad arguments and --analyzer claude without a key before doing any work', async () => {
    expect(() => parseMineArgs(['--input', 'a'])).toThrow('--output is required');
    expect(() => parseMineArgs(['--input', 'a', '--output', 'b', '--similar', '0'])).toThrow('--similar');
    expect(() => parseMineArgs(['--input', 'a', '--output', 'b', '--bogus'])).toThrow('unknown argument');
    expect(parseMineArgs(['--input=a', '--output', 'b', '--analyzer', 'claude', '--all-tickets'])).toEqual({
      input: 'a',
      output: 'b',
      analyzer: 'claude',
      allTickets: true,
      similar: 0,
    });
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: npm run mine');
    const input = join(dir, 'one.jsonl');
    writeFileSync(input, '{"id": 1, "subject": "x"}\n');
    const claude = await run(['--input', input, '--output', join(dir, 'x.jsonl'), '--analyzer', 'claude']);
    expect(claude.code).toBe(2);
    expect(claude.stderr).toContain('ANTHROPIC_API_KEY');
    const missing = await run(['--input', join(dir, 'nope.jsonl'), '--output', join(dir, 'x.jsonl')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('input file not found');
  });
});
