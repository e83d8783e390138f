import { pathologicalTexts } from '@pim/testing';
import { cpuMs } from '../../../testing/cpu-time';
import { findVerbatim } from './verbatim';

const ticket = [
  'CSV export times out',
  'Hi team,\n\nthe CSV export   times out for reports with more than 50k rows.\nIt’s blocking our month-end close.',
  'Call me on +44 20 7946 0123 or mail ana@globex.example.com if you need more.',
];

describe('findVerbatim', () => {
  it('keeps an emoji at the end of a quote whole (half of one is not text, and PostgreSQL refuses it)', () => {
    const ticket = 'Steps: open the form. Actual: Input fields are missing 😥 Expected: fields.';
    expect(findVerbatim('Actual: Input fields are missing 😥', [ticket])).toBe('Actual: Input fields are missing 😥');
  });

  it('returns the ticket’s own text for a whitespace- and case-different quote', () => {
    expect(findVerbatim('The CSV export times out for reports with more than 50k rows.', ticket)).toBe(
      'the CSV export   times out for reports with more than 50k rows.',
    );
  });

  it('treats straight and typographic apostrophes alike and strips wrapping quotes', () => {
    expect(findVerbatim('"It\'s blocking our month-end close."', ticket)).toBe('It’s blocking our month-end close.');
  });

  it('matches redaction placeholders against the original values', () => {
    expect(findVerbatim('Call me on [PHONE] or mail [EMAIL] if you need more.', ticket)).toBe(ticket[2]);
  });

  it('rejects invented, paraphrased or stitched quotes', () => {
    expect(findVerbatim('Exports are completely broken for us', ticket)).toBeNull();
    expect(findVerbatim('CSV export times out for reports ... month-end close', ticket)).toBeNull();
    expect(findVerbatim('the CSV export times out. It’s blocking', ticket)).toBeNull();
  });

  it('rejects quotes too short to mean anything, or only placeholders', () => {
    expect(findVerbatim('CSV', ticket)).toBeNull();
    expect(findVerbatim('[PHONE] [EMAIL]', ticket)).toBeNull();
  });

  it('treats regex characters literally', () => {
    expect(findVerbatim('costs $1,299.00 (twice)?', ['It costs $1,299.00 (twice)? Really.'])).toBe(
      'costs $1,299.00 (twice)?',
    );
    expect(findVerbatim('costs $1x299.00 (twice)?', ['It costs $1,299.00 (twice)? Really.'])).toBeNull();
  });
});

describe('findVerbatim on 200 KB pathological text (issue 13: one pass, never blocks the event loop)', () => {
  const texts = Object.entries(pathologicalTexts());

  it.each(texts)(
    '%s: a quote of the text, a missing one and one with placeholders each well under a second',
    (_, text) => {
      const piece = text.slice(100_000, 100_300);
      const quotes = [
        piece,
        `${piece} zzqq`,
        `[EMAIL] ${text.slice(1000, 1100)} [PHONE] ${text.slice(1200, 1210)} [IP] [CARD]`,
        // Almost everywhere almost a match: the backtracking pattern tried every placeholder length at every place.
        `[EMAIL] ${text.slice(1000, 1100)} [PHONE] zz`,
        `${text.slice(5000, 5200)} [PHONE] ${text.slice(5300, 5400)}`,
      ];
      for (const quote of quotes) expect(cpuMs(() => findVerbatim(quote, [text, text]))).toBeLessThan(1000);
    },
  );

  it('still finds a quote in a long ticket, with a placeholder standing for a value', () => {
    const blob = 'QUJD'.repeat(50_000);
    const source = `${blob}\nThe export fails for ana@globex.example.com every night.\n${blob}`;
    expect(findVerbatim('The export fails for [EMAIL] every night.', [source])).toBe(
      'The export fails for ana@globex.example.com every night.',
    );
  });
});
