import { pathologicalTexts } from '@pim/testing';
import { cpuMs } from '../../../testing/cpu-time';
import { TEST_TAXONOMY, ticket } from '../testing';
import { estimateTokens, renderTicket, systemPrompt } from './prompt';
import { parseToolInput } from './tool-schema';

describe('prompt', () => {
  it('puts the taxonomy with descriptions and the product context in a system block long enough to cache', () => {
    const system = systemPrompt(TEST_TAXONOMY);
    expect(system).toContain('- billing/invoices (Invoices): Invoice content');
    expect(system).toContain('- critical: Money or compliance');
    expect(system).toContain(TEST_TAXONOMY.productContext);
    expect(estimateTokens(system)).toBeGreaterThan(1024);
  });

  it('labels public replies and internal notes and keeps metadata', () => {
    const t = ticket(7, 'Export fails', 'The export fails.', 'Looking into it.');
    t.messages.push({
      author: 'agent',
      public: false,
      body: 'Known bug JIRA-12',
      createdAt: new Date('2026-10-02T00:00:00Z'),
    });
    t.tags = ['export'];
    const { text } = renderTicket(t, TEST_TAXONOMY);
    expect(text).toContain(
      '<ticket id="7" status="open" created="2026-10-01" updated="2026-10-01" organization="Globex" tags="export">',
    );
    expect(text).toMatch(/<message n="1" from="customer" type="public reply"[^>]*>\nThe export fails\.\n<\/message>/);
    expect(text).toMatch(/<message n="3" from="agent" type="internal note"/);
  });

  it('trims a long thread to the budget, keeping the first and last messages', () => {
    const bodies = Array.from({ length: 40 }, (_, i) => `Message number ${i + 1}. ${'lorem ipsum '.repeat(80)}`);
    const { text, omittedMessages } = renderTicket(ticket(8, 'Long', ...bodies), TEST_TAXONOMY, {
      ticketTokens: 2000,
      messageTokens: 1000,
    });
    expect(omittedMessages).toBeGreaterThan(20);
    expect(text).toContain('Message number 1.');
    expect(text).toContain('Message number 40.');
    expect(text).toMatch(/<omitted messages="\d+" reason="thread too long"\/>/);
    expect(estimateTokens(text)).toBeLessThan(2200);
  });

  it('cuts one huge message in the middle and neutralises closing tags', () => {
    const { text } = renderTicket(ticket(9, 'Log', `start ${'x'.repeat(50_000)} end </ticket> tail`), TEST_TAXONOMY);
    expect(text).toContain('characters omitted');
    expect(text).toContain('start');
    expect(text).toContain('</ticket_> tail');
    expect(text.match(/<\/ticket>/g)).toHaveLength(1);
  });
});

describe('parseToolInput', () => {
  const issue = {
    category: 'billing',
    subcategory: 'billing/payments',
    issue_type: 'bug',
    severity: 'critical',
    summary: 'Card charged twice on plan upgrade',
    detail: 'Upgrading charged the card twice.',
    quote: 'our card was charged twice',
    confidence: 0.9,
    platform: null,
  };

  it('accepts a valid answer and splits the subcategory path', () => {
    const r = parseToolInput({ status: 'issues_found', reason: 'A double charge.', issues: [issue] }, TEST_TAXONOMY);
    expect(r).toMatchObject({
      ok: true,
      value: { issues: [{ category: 'billing', subcategory: 'payments', issueType: 'bug' }] },
    });
  });

  it.each([
    [{ status: 'issues_found', reason: 'x', issues: [] }, /empty issues list/],
    [{ status: 'no_product_issue', reason: 'x', issues: [issue] }, /no_product_issue with issues/],
    [
      { status: 'issues_found', reason: 'x', issues: [{ ...issue, category: 'nope' }] },
      /category "nope" is not in the taxonomy/,
    ],
    [
      { status: 'issues_found', reason: 'x', issues: [{ ...issue, subcategory: 'reporting/exports' }] },
      /does not belong to category billing/,
    ],
    [
      { status: 'issues_found', reason: 'x', issues: [{ ...issue, summary: 'y'.repeat(201) }] },
      /summary is longer than 200/,
    ],
    [{ status: 'issues_found', reason: 'x', issues: [{ ...issue, confidence: 2 }] }, /confidence/],
    [{ status: 'issues_found', reason: 'x', issues: [{ ...issue, invented: 1 }] }, /invented is not a field/],
    [{ status: 'maybe', reason: 'x', issues: [] }, /status/],
  ])('rejects %j', (input, error) => {
    const r = parseToolInput(input, TEST_TAXONOMY);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(error);
  });
});

describe('parseToolInput: the optional frustration field (issue 18)', () => {
  const answer = { status: 'no_product_issue', reason: 'A question about invoices.', issues: [] };

  it('keeps a 0–1 frustration and leaves it out when the model gave none', () => {
    expect(parseToolInput({ ...answer, frustration: 0.8 }, TEST_TAXONOMY)).toMatchObject({
      ok: true,
      value: { frustration: 0.8 },
    });
    const without = parseToolInput(answer, TEST_TAXONOMY);
    expect(without.ok && 'frustration' in without.value).toBe(false);
  });

  it.each([[1.5], [-0.1], ['high'], [null]])('refuses frustration %p', (frustration) => {
    expect(parseToolInput({ ...answer, frustration }, TEST_TAXONOMY)).toEqual({
      ok: false,
      error: 'frustration must be a number from 0 to 1',
    });
  });
});

describe('renderTicket on 200 KB pathological messages (issue 13: never blocks the event loop)', () => {
  it.each(Object.entries(pathologicalTexts()))('%s: a ticket of three messages renders within a second', (_, text) => {
    let rendered = '';
    expect(cpuMs(() => (rendered = renderTicket(ticket(1, text, text, text, text), TEST_TAXONOMY).text))).toBeLessThan(
      1000,
    );
    expect(rendered.length).toBeLessThan(40_000);
  });
});
