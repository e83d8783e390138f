import type { AnalysisOutcome, AnalysisTicket } from './analyzer';
import { frustrationOf } from './frustration';

const at = new Date('2026-11-01T00:00:00Z');
const ticket = (messages: AnalysisTicket['messages']): AnalysisTicket => ({
  zendeskId: 1,
  contentHash: 'h',
  subject: 'Export',
  status: 'open',
  priority: null,
  tags: [],
  organization: null,
  createdAt: at,
  updatedAt: at,
  messages,
});
const outcome = (extra: Partial<AnalysisOutcome> = {}): AnalysisOutcome => ({
  status: 'no_product_issue',
  reason: 'r',
  issues: [],
  calls: [],
  ...extra,
});

describe('frustrationOf', () => {
  const angry = ticket([
    { author: 'customer', public: true, body: 'This is ridiculous, still broken!!', createdAt: at },
    { author: 'agent', public: true, body: 'Thanks, great, we love helping, wonderful!', createdAt: at },
  ]);

  it("scores the customer's public words locally, not the agent's", () => {
    expect(frustrationOf(angry, outcome())).toBeGreaterThan(0.8);
  });

  it("takes the analyzer's own value when it gave one, and none for a failed analysis", () => {
    expect(frustrationOf(angry, outcome({ frustration: 0.2 }))).toBe(0.2);
    expect(frustrationOf(angry, outcome({ status: 'failed' }))).toBeNull();
  });

  it('reads an unknown author only as the description', () => {
    const t = ticket([{ author: 'unknown', public: true, body: 'Terrible, useless, unacceptable.', createdAt: at }]);
    expect(frustrationOf(t, outcome())).toBeGreaterThan(0.8);
  });
});
