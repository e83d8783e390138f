import { FeedFormatError, readAccountFeed } from './account-feed';
import { accountValues, parseCount, parseDate, parseMoney } from './account-values';

describe('account values as people type them', () => {
  it('reads money with symbols, separators and k/M suffixes; anything else is null', () => {
    expect(parseMoney('$120,000')).toBe(120_000);
    expect(parseMoney(' 1 200 € ')).toBe(1_200);
    expect(parseMoney('120k')).toBe(120_000);
    expect(parseMoney('1.5M')).toBe(1_500_000);
    expect(parseMoney('USD 99.999')).toBe(100);
    expect(parseMoney(42)).toBe(42);
    for (const bad of ['', 'n/a', '-5', '1.2.3', null, undefined, {}, -1, Number.NaN, '1e400'])
      expect(parseMoney(bad)).toBeNull();
  });

  it('reads counts and calendar dates strictly', () => {
    expect(parseCount('1,250')).toBe(1250);
    expect(parseCount('2.5')).toBeNull();
    expect(parseDate('2027-02-28')).toBe('2027-02-28');
    expect(parseDate('2027-02-28T10:00:00Z')).toBe('2027-02-28');
    expect(parseDate('2027-02-30')).toBeNull();
    expect(parseDate('28/02/2027')).toBeNull();
  });

  it('maps a record through a getter', () => {
    const fields: Record<string, unknown> = { arr: '50k', plan: ' Enterprise ', seats: 40 };
    expect(accountValues((a) => fields[a])).toEqual({
      plan: 'Enterprise',
      arr: 50_000,
      mrr: null,
      seats: 40,
      segment: null,
      renewalDate: null,
      owner: null,
    });
  });
});

describe('readAccountFeed', () => {
  it('reads headers by their usual names, in any case, and numbers data lines from 2', () => {
    const rows = readAccountFeed(
      '\uFEFFOrganization ID,Domain,Account Name,ARR,Renewal-Date,CSM\n' +
        '7,,,"$1,000",2027-01-31,ana@example.com\n' +
        ',https://www.Acme.io/about,,2000,,\n' +
        ',,"Globex, Inc.",bad,,\n',
    );
    expect(rows).toEqual([
      expect.objectContaining({
        line: 2,
        organizationId: 7,
        arr: 1000,
        renewalDate: '2027-01-31',
        owner: 'ana@example.com',
      }),
      expect.objectContaining({ line: 3, organizationId: null, domain: 'acme.io', arr: 2000 }),
      expect.objectContaining({ line: 4, name: 'Globex, Inc.', arr: null }),
    ]);
  });

  it('refuses a feed without an organization column, without a value column, or not CSV, naming the file', () => {
    expect(() => readAccountFeed('arr,plan\n1,x\n')).toThrow(/^file: .*organization column/);
    expect(() => readAccountFeed('name,colour\nA,red\n')).toThrow(/^file: .*value column/);
    expect(() => readAccountFeed('')).toThrow(FeedFormatError);
    expect(() => readAccountFeed('name,arr\n"unclosed,1\n')).toThrow(/^file: not valid CSV/);
    expect(() => readAccountFeed('name,arr\na,1\nb,2\n', 1)).toThrow(/more than 1 rows/);
  });
});
