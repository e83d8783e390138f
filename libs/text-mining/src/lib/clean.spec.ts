import { cleanText, cleanTicket, htmlToText } from './clean';

describe('cleanText', () => {
  it('turns HTML into text, dropping scripts, styles and blockquotes', () => {
    const html =
      '<html><head><style>p{}</style></head><body><p>The export&nbsp;button is <b>broken</b>.</p>' +
      '<blockquote>old quoted reply</blockquote><script>alert(1)</script><p>Tom &amp; Jerry</p></body></html>';
    const text = cleanText(html);
    expect(text).toContain('The export button is broken.');
    expect(text).toContain('Tom & Jerry');
    expect(text).not.toMatch(/quoted|alert|p\{\}/);
  });

  it('keeps block boundaries as line breaks', () => {
    expect(htmlToText('<div>one</div><div>two<br>three</div>').split('\n').filter(Boolean)).toEqual([
      'one',
      'two',
      'three',
    ]);
  });

  it('cuts quoted replies: "On … wrote:", Outlook headers and > lines', () => {
    expect(
      cleanText('The sync fails.\n\nOn Mon, 1 Jan 2024 at 10:00, Support <[EMAIL]> wrote:\n> Did you try again?'),
    ).toBe('The sync fails.');
    expect(cleanText('Still broken.\nFrom: Agent\nSent: Monday\nSubject: RE: sync\nold text')).toBe('Still broken.');
    expect(cleanText('Yes it is.\n> earlier message\nThanks for checking the logs')).toBe(
      'Yes it is.\nThanks for checking the logs',
    );
    expect(cleanText('New info\n-----Original Message-----\nold')).toBe('New info');
  });

  it('cuts signatures and valedictions at the end', () => {
    expect(cleanText('Export crashes on large files.\n\nBest regards,\nJane Doe\nACME Corp')).toBe(
      'Export crashes on large files.',
    );
    expect(cleanText('Login loops forever.\n--\nJohn\n+1 555')).toBe('Login loops forever.');
    expect(cleanText('Invoices are wrong\n\nSent from my iPhone')).toBe('Invoices are wrong');
  });

  it('drops greetings, boilerplate and redaction placeholders', () => {
    expect(cleanText('Hi team,\nMy card [CARD] was charged twice, call me at [PHONE].')).toBe(
      'My card was charged twice, call me at .',
    );
    expect(cleanText('Hello, can I get a quote?')).toBe('can I get a quote?');
    expect(
      cleanText(
        'Refund missing.\nThis email and any attachments are confidential and intended solely for the addressee.',
      ),
    ).toBe('Refund missing.');
    expect(cleanText('##- Please type your reply above this line -##\nold thread')).toBe('');
  });

  it('keeps URL hosts only', () => {
    expect(cleanText('Broken on https://www.youtube.com/watch?v=abc&t=1 again')).toBe('Broken on youtube.com again');
  });

  it('applies extra drop-line patterns and returns "" for empty input', () => {
    expect(cleanText('User Agent: Mozilla/5.0\nTabs crash', { dropLines: [/^User Agent:/] })).toBe('Tabs crash');
    expect(cleanText(undefined)).toBe('');
    expect(cleanText(null)).toBe('');
  });
});

describe('cleanTicket', () => {
  it('cleans subject prefixes and includes public comments only when asked', () => {
    const t = {
      subject: 'RE: Fwd: Export broken',
      body: 'Hi,\nExport is broken.',
      comments: [
        { body: 'It fails on CSV too', public: true },
        { body: 'internal: escalate', public: false },
      ],
    };
    expect(cleanTicket(t)).toEqual({ subject: 'Export broken', body: 'Export is broken.' });
    expect(cleanTicket(t, { comments: 'public' }).body).toBe('Export is broken.\n\nIt fails on CSV too');
    expect(cleanTicket(t, { comments: 'all' }).body).toContain('escalate');
  });
});
