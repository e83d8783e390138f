import { locate, splitSentences, ticketSentences, verbatimExcerpt } from './sentences';

describe('splitSentences', () => {
  it('splits on sentence punctuation and line breaks, not on abbreviations or versions', () => {
    expect(splitSentences('The app crashes, e.g. on the dashboard. Version 5.2.1 too! Why?\nNext line')).toEqual([
      'The app crashes, e.g. on the dashboard.',
      'Version 5.2.1 too!',
      'Why?',
      'Next line',
    ]);
  });

  it('joins hard-wrapped lines of a paragraph but keeps list items apart', () => {
    expect(
      splitSentences('The export of the quarterly report\nfails every time.\n- first item\n- second item'),
    ).toEqual(['The export of the quarterly report fails every time.', '- first item', '- second item']);
  });
});

describe('locate', () => {
  it('finds a sentence exactly or up to white space', () => {
    const raw = 'Hi,\n\nThe  export\n fails.\nThanks';
    expect(locate(raw, 'The  export\n fails.')).toEqual([5, 24]);
    const [a, b] = locate(raw, 'The export fails.') as [number, number];
    expect(raw.slice(a, b)).toBe('The  export\n fails.');
    expect(locate(raw, 'not there')).toBeNull();
  });
});

describe('ticketSentences', () => {
  it('cleans greetings and signatures and keeps offsets into the raw text', () => {
    const raw = 'Hello team,\n\nExports fail since Monday. Please help!\n\nBest regards,\nAnna\nACME GmbH';
    const s = ticketSentences([
      { kind: 'subject', author: 'customer', raw: '  Exports  ' },
      { kind: 'description', author: 'customer', raw },
    ]);
    expect(s.map((x) => x.text)).toEqual(['Exports', 'Exports fail since Monday.', 'Please help!']);
    for (const x of s.slice(1)) expect(raw.slice(x.start, x.end)).toBe(x.text);
    expect(s.map((x) => x.order)).toEqual([0, 1, 2]);
    expect(s[1].form).toBe('exports fail since monday.');
  });

  it('marks sentences it cannot find verbatim (rewritten URLs) with -1', () => {
    const raw = 'See https://app.example.com/reports/42?x=1 for the broken report.';
    const [s] = ticketSentences([{ kind: 'description', author: 'customer', raw }]);
    expect(s.start).toBe(-1);
  });
});

describe('verbatimExcerpt', () => {
  it('never splits a surrogate pair (an emoji) at either end of the span', () => {
    const raw = 'Actual: Input fields are missing 😥 since the update.';
    const emoji = raw.indexOf('😥');
    expect(verbatimExcerpt(raw, 0, emoji + 1, 200)).toBe('Actual: Input fields are missing 😥');
    expect(verbatimExcerpt(raw, emoji + 1, raw.length, 200)).toBe('😥 since the update.');
  });

  const raw = `${'word '.repeat(100)}the export crashes here ${'more '.repeat(100)}`.trim();

  it('returns a substring within the limit, around the focus, cut at word boundaries', () => {
    const focus = raw.indexOf('crashes');
    const q = verbatimExcerpt(raw, 0, raw.length, 120, focus);
    expect(raw).toContain(q);
    expect(q.length).toBeLessThanOrEqual(120);
    expect(q).toContain('crashes');
    expect(q).not.toMatch(/^\S*\s*$/);
  });

  it('returns the whole span when short and "" for an empty span', () => {
    expect(verbatimExcerpt('  abc def.  ', 0, 12, 100)).toBe('abc def.');
    expect(verbatimExcerpt('abc', -1, -1, 100)).toBe('');
  });
});
