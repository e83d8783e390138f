import { LocalAnalyzer, analyzeTicketLocally } from './analyze';
import { NOISE, PROBLEMS, TAXONOMY, agent, customer, customerTexts, note } from './testing/tickets';
import { AnalyzerTicket, ISSUE_TYPES, SEVERITIES, TicketAnalysis } from './types';

const analyze = (t: AnalyzerTicket, options = {}) => analyzeTicketLocally(t, TAXONOMY, options);

function main(r: TicketAnalysis) {
  expect(r.status).toBe('issues_found');
  return r.issues[0];
}

describe('analyzeTicketLocally: issue types', () => {
  it.each(PROBLEMS.map((f) => [f.name, f] as const))('%s', (_name, f) => {
    const r = analyze(f.ticket);
    const issue = main(r);
    expect(issue.issueType).toBe(f.issueType);
    if (f.category) expect(issue.category).toBe(f.category);
    if (f.subcategory) expect(issue.subcategory).toBe(f.subcategory);
    if (f.severity) expect(issue.severity).toBe(f.severity);
    expect(r.reason).toMatch(/problem/);
  });

  it('covers every issue type', () => {
    expect(new Set(PROBLEMS.map((f) => f.issueType))).toEqual(new Set(ISSUE_TYPES));
  });

  it('tells a slowdown reported as a change (bug) from slowness as such (friction)', () => {
    const regression = analyze({
      subject: 'Dashboards slow',
      description:
        'Our sales dashboard used to open in two seconds. It has become painfully slow, about 40 seconds now.',
    });
    const slow = analyze({
      subject: 'Report builder is slow',
      description:
        'Building a report takes forever: every time I add a column I wait for the preview to reload. Very slow and tedious.',
    });
    expect(main(regression).issueType).toBe('bug');
    expect(main(slow).issueType).toBe('friction');
  });
});

describe('analyzeTicketLocally: not a product problem', () => {
  it.each(NOISE.map((f) => [f.name, f] as const))('%s → no_product_issue', (_name, f) => {
    const r = analyze(f.ticket);
    expect(r.status).toBe('no_product_issue');
    expect(r.issues).toEqual([]);
    expect(r.reason.length).toBeGreaterThan(10);
  });

  it('names the kind of request in the reason', () => {
    const noise = (name: string) => NOISE.find((n) => n.name === name)?.ticket ?? { subject: '' };
    expect(analyze(noise('password reset')).reason).toMatch(/password/);
    expect(analyze(noise('cancellation')).reason).toMatch(/cancellation/);
  });

  it('an empty ticket is not a problem and does not throw', () => {
    expect(analyze({ subject: '' })).toEqual({
      status: 'no_product_issue',
      reason: expect.any(String),
      issues: [],
    });
  });

  it('a feature question becomes a feature request when support says it is not available', () => {
    const ticket: AnalyzerTicket = {
      subject: 'Gantt charts?',
      description: 'Is it possible to show our project timeline as a Gantt chart on a dashboard?',
    };
    expect(analyze(ticket).status).toBe('no_product_issue');
    const answered = analyze({
      ...ticket,
      comments: [agent("Gantt charts aren't available today, but I've added your vote to the feature request.")],
    });
    expect(main(answered).issueType).toBe('feature_request');
    expect(main(answered).severity).toBe('low');
  });
});

const SEVERITY_CASES: Array<[string, AnalyzerTicket, string]> = [
  [
    'money: charged twice',
    {
      subject: 'Double charge',
      description: 'We were charged twice for our annual renewal, two payments of $4,800 on the same day.',
    },
    'critical',
  ],
  [
    'security: other workspace sees our data',
    {
      subject: 'Other company can see our dashboards',
      description:
        'A user from another workspace can open our dashboards through a shared link that should be private. This is a serious security issue.',
    },
    'critical',
  ],
  [
    'data loss',
    {
      subject: 'Reports gone',
      description: 'After the update all our saved reports disappeared from the list. We lost three months of work.',
    },
    'critical',
  ],
  [
    'everyone blocked',
    {
      subject: 'SSO down',
      description:
        'Nobody in our company can log in through Okta since this morning, SSO fails with an error for every user.',
    },
    'critical',
  ],
  [
    'blocked, many users, no workaround',
    {
      subject: 'Android app crashes',
      description:
        'The Android app crashes on launch for all our field reps. They are blocked and cannot see their accounts before meetings.',
    },
    'high',
  ],
  [
    'default problem',
    {
      subject: 'Chart legend',
      description: 'The chart legend does not update when I rename a metric, it still shows the old name.',
    },
    'medium',
  ],
  [
    'customer has a workaround',
    {
      subject: 'PDF export cuts last column',
      description: 'Exporting the sales report to PDF cuts off the last column. For now we export to Excel instead.',
    },
    'low',
  ],
  [
    'cosmetic',
    {
      subject: 'Typo',
      description:
        'Minor thing: there is a typo on the invoice page, the button says "Dowload" and the alignment is broken.',
    },
    'low',
  ],
];

describe('analyzeTicketLocally: severity', () => {
  const cases = SEVERITY_CASES;
  it.each(cases)('%s', (_name, ticket, severity) => {
    expect(main(analyze(ticket)).severity).toBe(severity);
  });

  it('records workarounds and platform', () => {
    const issue = main(analyze(cases[6][1]));
    expect(issue.hasWorkaround).toBe(true);
    const mobile = main(analyze(cases[4][1]));
    expect(mobile.platform).toBe('android');
    expect(mobile.hasWorkaround).toBe(false);
  });

  it('only returns known severities and types, confidence in [0, 1]', () => {
    for (const [, t] of cases) {
      for (const i of analyze(t).issues) {
        expect(SEVERITIES).toContain(i.severity);
        expect(ISSUE_TYPES).toContain(i.issueType);
        expect(i.confidence).toBeGreaterThanOrEqual(0);
        expect(i.confidence).toBeLessThanOrEqual(1);
      }
    }
  });
});

describe('analyzeTicketLocally: quotes and summaries', () => {
  const all = [...PROBLEMS.map((f) => f.ticket), ...NOISE.map((f) => f.ticket)];

  it('every quote is a verbatim substring of customer-authored text', () => {
    for (const t of all) {
      for (const issue of analyze(t).issues) {
        expect(issue.quote.length).toBeGreaterThan(0);
        expect(customerTexts(t).some((text) => text.includes(issue.quote))).toBe(true);
      }
    }
  });

  it('keeps the original white space of the message and drops greetings and signatures', () => {
    const t: AnalyzerTicket = {
      subject: 'Export',
      description:
        'Hi team,\n\nThe   CSV export\n fails with a timeout error for our biggest report.\n\nThanks,\nBob\nAcme Corp',
    };
    const issue = main(analyze(t));
    expect(issue.quote).toBe('The   CSV export\n fails with a timeout error for our biggest report.');
    expect(t.description).toContain(issue.quote);
    expect(issue.summary).toBe('The CSV export fails with a timeout error for our biggest report.');
  });

  it('never quotes agent replies or internal notes, even when they describe the problem best', () => {
    const t: AnalyzerTicket = {
      subject: 'export?',
      description: 'export not working for me',
      comments: [
        agent(
          'This is a known bug: the CSV export crashes with a 504 error for reports over 100k rows. Engineering is working on a fix.',
        ),
        note('Linked to ENG-4821, export worker hits the gateway timeout.'),
      ],
    };
    const issue = main(analyze(t));
    expect(['export not working for me', 'export?']).toContain(issue.quote);
    expect(issue.detail).not.toContain('ENG-4821');
  });

  it('treats public comments without a role that read like an agent as agent text', () => {
    const problem = 'Exports fail with a timeout error since Monday.';
    const reply =
      'Hi Ana, thanks for reaching out. I have escalated this to our engineers, the export crashes for large reports.';
    const r = analyze({ subject: 'Exports', description: problem, comments: [{ body: reply, public: true }] });
    expect(main(r).quote).toBe(problem);
  });

  it('skips a first comment that repeats the description', () => {
    const description = 'The Slack integration stopped posting alerts to our channel yesterday.';
    const r = analyze({ subject: 'Slack', description, comments: [customer(description), agent('Looking into it.')] });
    expect(r.issues).toHaveLength(1);
    expect(main(r).detail.match(/stopped posting/g)).toHaveLength(1);
  });
});

describe('analyzeTicketLocally: summaries and confidence', () => {
  it('summaries are at most 200 characters and quotes at most 300, both from the ticket', () => {
    const long =
      'When I open the quarterly revenue dashboard on a Monday morning after the weekend import has run, the page crashes with an error ' +
      'and the browser shows a blank screen for every widget, including the ones that do not depend on the import at all, ' +
      'which has been happening for three weeks now across Chrome, Firefox and Edge, on Windows and on macOS.';
    const issue = main(analyze({ subject: 'Dashboard crash', description: long }));
    expect(issue.summary.length).toBeLessThanOrEqual(200);
    expect(issue.quote.length).toBeLessThanOrEqual(300);
    expect(issue.detail.length).toBeLessThanOrEqual(600);
    expect(issue.platform).toBe('web');
    expect(long).toContain(issue.quote);
  });

  it('support confirming the problem raises confidence', () => {
    const base: AnalyzerTicket = {
      subject: 'Webhooks',
      description: 'Our webhook deliveries fail with a timeout error about half of the time.',
    };
    const confirmed = {
      ...base,
      comments: [agent('Thanks, this is a known bug. I have escalated it to engineering.')],
    };
    expect(main(analyze(confirmed)).confidence).toBeGreaterThan(main(analyze(base)).confidence);
    expect(analyze(confirmed).reason).toMatch(/confirmed|escalated/);
  });

  it('ignores a customer message that only reports the fix', () => {
    const r = analyze({
      subject: 'Update',
      description: 'Confirmed, it works now. Thanks!',
    });
    expect(r.status).toBe('no_product_issue');
  });
});

describe('analyzeTicketLocally: several issues', () => {
  const twoTopics: AnalyzerTicket = {
    subject: 'CSV export fails',
    description:
      'The CSV export of the pipeline report fails with a timeout error every time. ' +
      'Separately, it would be great if the iPhone app had a dark mode.',
  };

  it('splits clearly distinct problems (different category and type)', () => {
    const r = analyze(twoTopics);
    expect(r.issues).toHaveLength(2);
    expect(r.issues[0]).toMatchObject({ issueType: 'bug', category: 'Reports', subcategory: 'Export' });
    expect(r.issues[1]).toMatchObject({ issueType: 'feature_request', category: 'Mobile' });
    for (const i of r.issues) expect(twoTopics.description).toContain(i.quote);
  });

  it('keeps one issue for several sentences about the same problem', () => {
    const r = analyze({
      subject: 'Export broken',
      description:
        'The CSV export fails with a timeout. The Excel export fails the same way. Even small reports error out after a minute.',
    });
    expect(r.issues).toHaveLength(1);
  });

  it('respects maxIssues', () => {
    const three: AnalyzerTicket = {
      subject: 'Several things',
      description:
        'The CSV export of the pipeline report fails with a timeout error every time. ' +
        'Also, it would be great if the iPhone app had a dark mode. ' +
        'On top of that, the API documentation is outdated: it does not mention the limit parameter.',
    };
    expect(analyze(three).issues.length).toBeGreaterThanOrEqual(2);
    expect(analyze(three).issues.length).toBeLessThanOrEqual(3);
    expect(analyze(three, { maxIssues: 1 }).issues).toHaveLength(1);
  });
});

describe('analyzeTicketLocally: determinism', () => {
  const tickets = [...PROBLEMS.map((f) => f.ticket), ...NOISE.map((f) => f.ticket)];

  it('same input → same output, whatever was analysed before and with a fresh analyzer', () => {
    const first = tickets.map((t) => analyze(t));
    const reversed = [...tickets]
      .reverse()
      .map((t) => analyze(t))
      .reverse();
    const fresh = new LocalAnalyzer(TAXONOMY);
    expect(reversed).toEqual(first);
    expect(tickets.map((t) => fresh.analyze(t))).toEqual(first);
    expect(JSON.stringify(tickets.map((t) => analyze(t)))).toBe(JSON.stringify(first));
  });

  it('does not mutate its input', () => {
    const t = structuredClone(PROBLEMS[0].ticket);
    const before = JSON.stringify(t);
    analyze(t);
    expect(JSON.stringify(t)).toBe(before);
  });
});

describe('LocalAnalyzer.explain', () => {
  it('exposes the evidence behind the decision', () => {
    const { analysis, signals } = new LocalAnalyzer(TAXONOMY).explain(PROBLEMS[0].ticket);
    expect(analysis.status).toBe('issues_found');
    expect(signals.problem).toBeGreaterThan(0);
    expect(signals.agentConfirm).toBeGreaterThan(0);
    expect(signals.sentences.some((s) => s.author === 'agent')).toBe(true);
  });
});

describe('taxonomy edge cases', () => {
  it('an empty taxonomy still yields issues with empty category names', () => {
    const r = analyzeTicketLocally(PROBLEMS[0].ticket, { categories: [] });
    expect(main(r)).toMatchObject({ category: '', subcategory: '' });
  });

  it('a category without subcategories gives an empty subcategory', () => {
    const r = analyzeTicketLocally(PROBLEMS[0].ticket, {
      categories: [{ name: 'Everything', description: 'All product areas', subcategories: [] }],
    });
    expect(main(r)).toMatchObject({ category: 'Everything', subcategory: '' });
  });
});
