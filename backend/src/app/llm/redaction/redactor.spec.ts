import { pathologicalTexts } from '@pim/testing';
import { cpuMs } from '../../../testing/cpu-time';
import { ibanValid, luhnValid, redact } from './redactor';

const r = (text: string) => redact(text).text;

describe('redact', () => {
  describe('emails', () => {
    it.each([
      ['Please copy maria.gonzalez@globex.example.com on replies.', 'Please copy [EMAIL] on replies.'],
      ['If I am out, contact it-admin+zendesk@acme.co.uk.', 'If I am out, contact [EMAIL].'],
      ['Mail <j_doe@sub.domain.io>', 'Mail <[EMAIL]>'],
    ])('%s', (input, expected) => expect(r(input)).toBe(expected));

    it('leaves handles and decorators alone', () => {
      expect(r('Ping @maria in Slack, the @Injectable decorator, user@localhost')).toBe(
        'Ping @maria in Slack, the @Injectable decorator, user@localhost',
      );
    });
  });

  describe('phone numbers', () => {
    it.each([
      '+1 (415) 555-0134',
      '+44 20 7946 0123',
      '+49 30 1234 5678',
      '(212) 555-0187',
      '+61 2 9123 4567',
      '415-555-0134',
      '+33.1.23.45.67.89',
    ])('%s', (phone) => expect(r(`Call me at ${phone}, thanks.`)).toBe('Call me at [PHONE], thanks.'));
  });

  describe('card numbers', () => {
    it.each(['4111 1111 1111 1111', '4111111111111111', '5500-0000-0000-0004', '378282246310005'])(
      '%s (passes Luhn)',
      (card) =>
        expect(r(`It was charged to card ${card}, expiry 4/27.`)).toBe('It was charged to card [CARD], expiry 4/27.'),
    );

    it('keeps digit runs that fail Luhn (order and invoice numbers)', () => {
      const text = 'Invoice 4111111111111112 and order 1234 5678 9012 3456 are wrong.';
      expect(luhnValid('4111111111111112')).toBe(false);
      expect(r(text)).toBe(text);
    });

    it('keeps repeated digits and numbers glued to decimals', () => {
      expect(r('Account 0000000000000000, total 4111111111111111.50')).toBe(
        'Account 0000000000000000, total 4111111111111111.50',
      );
    });
  });

  describe('IBANs', () => {
    it.each(['DE89 3704 0044 0532 0130 00', 'GB29NWBK60161331926819', 'FR1420041010050500013M02606'])('%s', (iban) => {
      expect(ibanValid(iban)).toBe(true);
      expect(r(`Please refund to ${iban} today.`)).toBe('Please refund to [IBAN] today.');
    });

    it('keeps codes that look like an IBAN but fail mod-97', () => {
      expect(r('Reference DE89370400440532013001 attached.')).toBe('Reference DE89370400440532013001 attached.');
    });
  });

  describe('IP addresses', () => {
    it.each(['203.0.113.57', '198.51.100.2', '10.0.0.1', '2001:db8:85a3::8a2e:370:7334', 'fe80::1ff:fe23:4567:890a'])(
      '%s',
      (ip) => expect(r(`Requests come from ${ip} every day.`)).toBe('Requests come from [IP] every day.'),
    );

    it('at the end of a sentence', () => {
      expect(r('The requests come from 192.0.2.118.\nThanks')).toBe('The requests come from [IP].\nThanks');
    });
  });

  describe('URLs with secrets', () => {
    it.each([
      'https://app.example.com/share?token=abc123',
      'https://files.example.com/report.pdf?X-Amz-Signature=deadbeef&X-Amz-Credential=AKIA',
      'https://api.example.com/v1/items?api_key=sk_live_1',
      'https://hooks.example.com/reset?password=hunter2',
      'https://example.com/cb?code=xyz&state=1',
      'https://user:pa55@db.example.com/path',
    ])('%s', (url) => expect(r(`Open ${url} please`)).toBe('Open [URL] please'));

    it('keeps ordinary URLs', () => {
      const text = 'See https://docs.example.com/guides/export?page=2 and http://status.example.com.';
      expect(r(text)).toBe(text);
    });

    it('redacts the email in a URL that has no secret', () => {
      expect(r('https://app.example.com/users?email=ana@globex.example.com')).toBe(
        'https://app.example.com/users?email=[EMAIL]',
      );
    });
  });

  /** Numbers that only look like a phone number or an IP address. */
  it.each([
    ['phone numbers', 'a date', 'It started on 2024-01-15 and again 15.01.2024 and 01/15/2024.'],
    ['phone numbers', 'a time range', 'Between 10:30-11:45 yesterday the export failed.'],
    ['phone numbers', 'an order number', 'Order #1234567 and ticket 98765 are affected.'],
    ['phone numbers', 'a version', 'On app 2.14.3 build 1203 it crashes.'],
    ['phone numbers', 'an amount', 'We were charged $1,299.00 twice.'],
    ['IP addresses', 'a five-part number', 'Build 1.2.3.4.5 and 10.0.0.1.2 fail.'],
    ['IP addresses', 'a three-part version', 'Updated to 2.14.3 yesterday.'],
    ['IP addresses', 'a four-part version', 'Running version 10.2.0.1 and v1.2.3.4 of the agent.'],
    ['IP addresses', 'an out-of-range quad', 'Build 300.1.2.999 fails.'],
    ['IP addresses', 'a clock time', 'It failed at 10:30:00 UTC.'],
    ['IP addresses', 'a C++ scope', 'std::vector and Foo::bar'],
  ])('%s: keeps %s', (_kind, _what, text) => expect(r(text)).toBe(text));

  it('can switch kinds off and counts what it replaced', () => {
    const text = 'Mail ana@globex.example.com or call +1 (415) 555-0134 from 203.0.113.5';
    expect(redact(text, { phone: false, ip: false }).text).toBe(
      'Mail [EMAIL] or call +1 (415) 555-0134 from 203.0.113.5',
    );
    expect(redact(text).counts).toEqual({ email: 1, phone: 1, ip: 1 });
  });
});

describe('redact on 200 KB pathological text (issue 13: linear, never blocks the event loop)', () => {
  const texts = Object.entries(pathologicalTexts());

  it.each(texts)('%s takes well under a second', (_, text) => {
    let out = '';
    expect(cpuMs(() => (out = redact(text).text))).toBeLessThan(1000);
    expect(out.length).toBeGreaterThan(0);
  });

  it('still redacts an address glued into a blob, and a secret parameter after a long one', () => {
    const blob = 'QUJD'.repeat(50_000);
    expect(redact(`${blob},ana@globex.example.com,${blob}`).text).toBe(`${blob},[EMAIL],${blob}`);
    const url = `https://x.example/?${'a'.repeat(100_000)}=1&access_token=abc`;
    expect(redact(`see ${url} now`).text).toBe('see [URL] now');
  });
});
