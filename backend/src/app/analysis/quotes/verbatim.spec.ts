import { findVerbatim } from './verbatim';

const ticket = [
  'CSV export times out',
  'Hi team,\n\nthe CSV export   times out for reports with more than 50k rows.\nIt’s blocking our month-end close.',
  'Call me on +44 20 7946 0123 or mail ana@globex.example.com if you need more.',
];

describe('findVerbatim', () => {
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
