import { pathologicalTexts } from '@pim/testing';
import { TEST_TAXONOMY, ticket } from '../testing';
import { LocalAnalyzer } from './local-analyzer';

describe('LocalAnalyzer', () => {
  const local = new LocalAnalyzer();

  it('reports one issue with a verbatim quote for a ticket with a problem cue', async () => {
    const t = ticket(
      1,
      'Export broken',
      'Hi team. The CSV export times out for reports with more than 50k rows. Thanks!',
    );
    const outcome = await local.analyze(t, TEST_TAXONOMY);
    expect(outcome.status).toBe('issues_found');
    expect(outcome.issues).toHaveLength(1);
    const [issue] = outcome.issues;
    expect(issue).toMatchObject({ category: 'reporting', subcategory: 'exports', issueType: 'bug' });
    expect(t.messages[0]!.body).toContain(issue!.quote!);
    expect(issue!.summary.length).toBeLessThanOrEqual(200);
    expect(outcome.calls).toEqual([]);
  });

  it('finds billing problems and marks money at stake as critical', async () => {
    const outcome = await local.analyze(
      ticket(2, 'Charged twice', 'After upgrading our plan we were charged twice on our card. Please fix the payment.'),
      TEST_TAXONOMY,
    );
    expect(outcome.issues[0]).toMatchObject({ category: 'billing', severity: 'critical' });
  });

  it('says honestly when it finds no problem', async () => {
    const outcome = await local.analyze(
      ticket(3, 'Thanks', 'Thank you so much for the quick help, all good.'),
      TEST_TAXONOMY,
    );
    expect(outcome).toMatchObject({ status: 'no_product_issue', issues: [] });
    expect(outcome.reason.length).toBeGreaterThan(0);
  });
});

describe('LocalAnalyzer on 200 KB pathological messages (issue 13: never blocks the event loop)', () => {
  const local = new LocalAnalyzer();

  it.each(Object.entries(pathologicalTexts()))(
    '%s: three messages analysed within 5 s of CPU (quadratic took minutes)',
    async (_, text) => {
      const t = ticket(1, text, `The export fails, here is the log:\n${text}`, text, text);
      const before = process.cpuUsage();
      const outcome = await local.analyze(t, TEST_TAXONOMY);
      const used = process.cpuUsage(before);
      expect((used.user + used.system) / 1000).toBeLessThan(5000); // 1 s measured 1,000.3 ms on CI under a parallel benchmark
      expect(['issues_found', 'no_product_issue']).toContain(outcome.status);
    },
  );
});
