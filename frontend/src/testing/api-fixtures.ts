import {
  AnalysisCostsResponse,
  CategoryTrend,
  ClusterBriefResponse,
  ClusterDetailResponse,
  ClusterResponse,
  IssueResponse,
  IssuesSummaryResponse,
  IssueTrendsResponse,
  SimilarTicketResponse,
  RunResponse,
  SyncStatusResponse,
  TaxonomyResponse,
  TicketAnalysisResponse,
  TicketCommentResponse,
  TicketDetailResponse,
  TicketIssueResponse,
  TicketSummaryResponse,
} from '@pim/api-client';

/** Client-shaped test data: every builder returns a generated response type, so a spec breaks when the API changes. */

export function pageOf<T>(items: T[], overrides: { total?: number; page?: number; perPage?: number } = {}) {
  return { items, total: items.length, page: 1, perPage: 25, ...overrides };
}

export function aTicketSummary(overrides: Partial<TicketSummaryResponse> = {}): TicketSummaryResponse {
  return {
    zendeskId: 1042,
    originalId: null,
    subject: 'Invoice PDF shows the wrong VAT rate',
    status: 'open',
    priority: 'high',
    organizationId: 7,
    organizationName: 'Acme GmbH',
    requesterId: 31,
    commentCount: 3,
    tags: ['billing'],
    source: 'zendesk',
    createdAt: '2025-03-01T10:00:00.000Z',
    updatedAt: '2025-03-02T12:30:00.000Z',
    zendeskUrl: 'https://acme.zendesk.com/agent/tickets/1042',
    ...overrides,
  };
}

export function aComment(overrides: Partial<TicketCommentResponse> = {}): TicketCommentResponse {
  return {
    position: 0,
    zendeskCommentId: 5001,
    authorId: 31,
    authorName: 'Clara Customer',
    authorRole: 'end-user',
    body: 'The VAT on my invoice is 19% but it should be 7%.',
    public: true,
    createdAt: '2025-03-01T10:00:00.000Z',
    kind: 'Comment',
    ...overrides,
  };
}

export function anIssue(overrides: Partial<TicketIssueResponse> = {}): TicketIssueResponse {
  return {
    id: '0b7d3c52-1d1e-4a5b-8a7c-3c2f1e0d9a01',
    category: 'billing',
    subcategory: 'invoices',
    issueType: 'bug',
    severity: 'high',
    summary: 'Invoices apply the wrong VAT rate',
    detail: 'Reduced-rate products are invoiced at the standard rate.',
    quote: 'The VAT on my invoice is 19% but it should be 7%.',
    quoteVerified: true,
    confidence: 0.86,
    flags: [],
    ...overrides,
  };
}

export function anAnalysis(overrides: Partial<TicketAnalysisResponse> = {}): TicketAnalysisResponse {
  return {
    analyzer: 'claude',
    model: 'claude-sonnet-4-6',
    status: 'issues_found',
    reason: 'The customer reports a wrong tax rate on invoices.',
    inputTokens: 1834,
    outputTokens: 212,
    cacheWriteTokens: 0,
    cacheReadTokens: 2048,
    costUsd: 0.0093,
    pending: false,
    createdAt: '2025-03-02T02:10:00.000Z',
    frustration: null,
    ...overrides,
  };
}

export function aTicketDetail(overrides: Partial<TicketDetailResponse> = {}): TicketDetailResponse {
  return {
    ...aTicketSummary(),
    description: 'The VAT on my invoice is 19% but it should be 7%.',
    requesterName: 'Clara Customer',
    assigneeId: 12,
    groupId: null,
    satisfaction: null,
    brandId: null,
    channel: 'email',
    type: 'problem',
    comments: [
      aComment(),
      aComment({
        position: 1,
        zendeskCommentId: 5002,
        authorId: 12,
        authorName: 'Sam Support',
        authorRole: 'agent',
        body: 'Escalating to billing, looks like the tax table.',
        public: false,
        createdAt: '2025-03-01T11:00:00.000Z',
      }),
      aComment({
        position: 2,
        zendeskCommentId: 5003,
        authorId: 12,
        authorName: 'Sam Support',
        authorRole: 'agent',
        body: 'Thanks Clara, we are looking into it.',
        public: true,
        createdAt: '2025-03-01T11:05:00.000Z',
      }),
    ],
    issues: [anIssue()],
    analysis: anAnalysis(),
    customFields: [{ id: 360000100002, value: 'plan_team' }],
    organizationFields: { plan: 'team', region: 'eu' },
    mergedIntoId: null,
    ...overrides,
  };
}

export function aRun(overrides: Partial<RunResponse> = {}): RunResponse {
  return {
    id: '3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    kind: 'sync',
    trigger: 'manual',
    status: 'succeeded',
    phase: 'done',
    done: 0,
    total: null,
    backfillDays: null,
    createdAt: '2025-03-02T02:00:00.000Z',
    startedAt: '2025-03-02T02:00:01.000Z',
    finishedAt: '2025-03-02T02:03:06.000Z',
    durationMs: 185000,
    error: null,
    errors: [],
    stats: {
      ticketsFetched: 120,
      ticketsChanged: 37,
      zendeskRequests: 44,
      rateLimited: 2,
    },
    ...overrides,
  };
}

export function aSyncStatus(overrides: Partial<SyncStatusResponse> = {}): SyncStatusResponse {
  return {
    state: 'idle',
    currentRun: null,
    lastRun: aRun(),
    nextScheduledAt: '2025-03-03T02:00:00.000Z',
    totals: { tickets: 1200, comments: 5400, organizations: 80, deletedTickets: 3 },
    zendeskConfigured: true,
    ...overrides,
  };
}

export function aTaxonomy(overrides: Partial<TaxonomyResponse> = {}): TaxonomyResponse {
  return {
    version: 3,
    updatedAt: '2025-03-01T09:00:00.000Z',
    updatedBy: '7f0c2b5e-4a1e-4d6b-9c52-2f3f1d0a9b11',
    productContext: 'A B2B invoicing product for small companies.',
    categories: [
      {
        key: 'billing',
        name: 'Billing',
        description: 'Invoices, payments and taxes',
        aliases: [],
        subcategories: [
          { key: 'invoices', name: 'Invoices', description: 'Creating and sending invoices', aliases: [] },
          { key: 'payments', name: 'Payments', description: 'Card and bank payments', aliases: [] },
        ],
      },
    ],
    issueTypes: [
      { key: 'bug', description: 'Something is broken' },
      { key: 'friction', description: 'Works but is slow or awkward' },
      { key: 'ux_confusion', description: 'Users do not understand the UI' },
      { key: 'feature_request', description: 'Something missing' },
      { key: 'documentation_gap', description: 'Docs are missing or wrong' },
      { key: 'data_issue', description: 'Wrong or missing data' },
    ],
    severities: [
      { key: 'critical', description: 'Money, compliance or a complete blocker' },
      { key: 'high', description: 'Major impact' },
      { key: 'medium', description: 'Some impact' },
      { key: 'low', description: 'Minor' },
    ],
    redaction: { email: true, phone: true, card: true, iban: true, ip: false, url: true },
    history: [],
    ...overrides,
  };
}

export function someCosts(overrides: Partial<AnalysisCostsResponse> = {}): AnalysisCostsResponse {
  const usage = {
    calls: 10,
    batchCalls: 4,
    inputTokens: 20000,
    outputTokens: 3000,
    cacheWriteTokens: 1000,
    cacheReadTokens: 15000,
    costUsd: 0.125,
    unpricedCalls: 0,
  };
  return {
    days: 30,
    from: '2025-02-01T00:00:00.000Z',
    to: '2025-03-03T00:00:00.000Z',
    totals: { ...usage, calls: 15, costUsd: 0.2 },
    byDay: [
      { ...usage, day: '2025-03-02', model: 'claude-sonnet-4-6' },
      { ...usage, calls: 5, costUsd: 0.075, day: '2025-03-01', model: 'claude-haiku-4-5' },
    ],
    byModel: [
      { ...usage, model: 'claude-sonnet-4-6' },
      { ...usage, calls: 5, costUsd: 0.075, model: 'claude-haiku-4-5' },
    ],
    byRun: [],
    ...overrides,
  };
}

export function aCluster(overrides: Partial<ClusterResponse> = {}): ClusterResponse {
  return {
    id: 'c1a2b3c4-0000-4000-8000-000000000001',
    name: 'Wrong VAT rate on invoices',
    summary: 'Invoices apply the standard VAT rate to reduced-rate products.',
    category: 'billing',
    subcategory: 'invoices',
    active: true,
    emerging: false,
    issueCount: 42,
    ticketCount: 40,
    uniqueCustomers: 17,
    count7d: 12,
    countPrior7d: 8,
    trendPct: 50,
    severityMax: 'high',
    keyphrases: ['vat', 'invoice'],
    lockedFields: [],
    mergedInto: null,
    namedBy: 'keyphrases',
    owner: null,
    pmNotes: '',
    pmStatus: 'new',
    externalUrl: null,
    firstSeen: '2025-02-01T10:00:00.000Z',
    lastSeen: '2025-03-02T10:00:00.000Z',
    createdAt: '2025-02-01T10:05:00.000Z',
    updatedAt: '2025-03-02T10:05:00.000Z',
    affectedAccounts: 3,
    arrAffected: 250000,
    enterpriseShare: 0.333,
    renewingAccounts: 1,
    frustration: 0.62,
    impactScore: 48.5,
    impact: {
      value: 0.5,
      reach: 0.14,
      severity: 1,
      trend: 1,
      frustration: 0.62,
      explanation:
        'Impact 48.5 = value (√ share of ARR affected) 0.5 × 40 = 20; severity 1 × 20 = 20; trend 1 × 10 = 10; frustration 0.62 × 10 = 6.2; customers reached 0.14 × 20 = 2.8.',
    },
    ...overrides,
  };
}

export function aClusterBrief(overrides: Partial<ClusterBriefResponse> = {}): ClusterBriefResponse {
  return {
    id: 'c1a2b3c4-0000-4000-8000-000000000002',
    name: 'Bank sync stops after login',
    category: 'payments',
    issueCount: 9,
    uniqueCustomers: 6,
    count7d: 7,
    countPrior7d: 1,
    trendPct: 600,
    emerging: true,
    pmStatus: 'new',
    ...overrides,
  };
}

export function anIssueItem(overrides: Partial<IssueResponse> = {}): IssueResponse {
  return {
    id: 'i0000000-0000-4000-8000-000000000001',
    category: 'billing',
    subcategory: 'invoices',
    issueType: 'bug',
    severity: 'high',
    summary: 'Invoices apply the wrong VAT rate',
    detail: 'Reduced-rate products are invoiced at the standard rate.',
    quote: 'The VAT on my invoice is 19% but it should be 7%.',
    confidence: 0.86,
    clusterId: 'c1a2b3c4-0000-4000-8000-000000000001',
    clusterName: 'Wrong VAT rate on invoices',
    organizationName: 'Acme GmbH',
    ticketId: 1042,
    ticketOriginalId: null,
    ticketSubject: 'Invoice PDF shows the wrong VAT rate',
    ticketCreatedAt: '2025-03-01T10:00:00.000Z',
    zendeskUrl: 'https://acme.zendesk.com/agent/tickets/1042',
    ...overrides,
  };
}

export function aClusterDetail(overrides: Partial<ClusterDetailResponse> = {}): ClusterDetailResponse {
  return {
    ...aCluster(),
    issues: [
      anIssueItem(),
      anIssueItem({
        id: 'i0000000-0000-4000-8000-000000000002',
        ticketId: 1043,
        ticketSubject: 'VAT wrong again',
        quote: 'Again 19% instead of 7%.',
        organizationName: 'Beta AG',
      }),
    ],
    tickets: [
      {
        zendeskId: 1042,
        originalId: null,
        subject: 'Invoice PDF shows the wrong VAT rate',
        status: 'open',
        organizationName: 'Acme GmbH',
        createdAt: '2025-03-01T10:00:00.000Z',
        zendeskUrl: 'https://acme.zendesk.com/agent/tickets/1042',
      },
      {
        zendeskId: 1043,
        originalId: null,
        subject: 'VAT wrong again',
        status: 'pending',
        organizationName: 'Beta AG',
        createdAt: '2025-03-01T12:00:00.000Z',
        zendeskUrl: 'https://acme.zendesk.com/agent/tickets/1043',
      },
    ],
    daily: [
      { date: '2025-02-28T00:00:00.000Z', count: 1 },
      { date: '2025-03-01T00:00:00.000Z', count: 3 },
      { date: '2025-03-02T00:00:00.000Z', count: 2 },
    ],
    weekly: [
      { date: '2025-02-17T00:00:00.000Z', count: 4 },
      { date: '2025-02-24T00:00:00.000Z', count: 6 },
    ],
    mergeCandidates: [
      { id: 'c1a2b3c4-0000-4000-8000-000000000003', name: 'Tax rate wrong on PDF', issueCount: 5, score: 0.91 },
    ],
    history: [],
    accounts: [
      {
        organizationId: 360001,
        name: 'Globex',
        plan: 'enterprise',
        segment: 'Enterprise',
        arr: 200000,
        arrAtFirstTicket: 150000,
        renewalDate: '2025-04-01',
        ticketCount: 2,
        ticketIds: [1042, 1041],
      },
    ],
    ...overrides,
  };
}

export function aSummary(overrides: Partial<IssuesSummaryResponse> = {}): IssuesSummaryResponse {
  return {
    days: 30,
    from: '2025-02-01T00:00:00.000Z',
    to: '2025-03-03T00:00:00.000Z',
    issues: 314,
    tickets: 250,
    uniqueCustomers: 96,
    activeClusters: 40,
    newClusters: 6,
    emergingClusters: 1,
    byCategory: [
      { key: 'billing', count: 200 },
      { key: 'payments', count: 114 },
    ],
    byIssueType: [{ key: 'bug', count: 314 }],
    bySeverity: [
      { key: 'critical', count: 12 },
      { key: 'high', count: 45 },
      { key: 'medium', count: 200 },
      { key: 'low', count: 57 },
    ],
    topClusters: [],
    emerging: [aClusterBrief()],
    revenueAtRisk: { arr: 1250000, accounts: 12, renewingAccounts: 2, totalArr: 5000000 },
    ...overrides,
  };
}

function trendOf(category: string, counts: number[], start = Date.UTC(2025, 2, 1)): CategoryTrend {
  return {
    category,
    total: counts.reduce((sum, count) => sum + count, 0),
    points: counts.map((count, index) => ({ date: new Date(start + index * 86400000).toISOString(), count })),
  };
}

export function someTrends(overrides: Partial<IssueTrendsResponse> = {}): IssueTrendsResponse {
  const series = [trendOf('billing', [3, 5, 2]), trendOf('payments', [1, 0, 4])];
  return {
    days: 30,
    interval: 'day',
    series,
    total: series[0].points.map((point, index) => ({
      date: point.date,
      count: point.count + series[1].points[index].count,
    })),
    ...overrides,
  };
}

export function aSimilarTicket(overrides: Partial<SimilarTicketResponse> = {}): SimilarTicketResponse {
  return {
    zendeskId: 2001,
    subject: 'Reduced VAT not applied',
    status: 'open',
    createdAt: '2025-02-20T09:00:00.000Z',
    score: 0.83,
    sharedClusterIds: ['c1a2b3c4-0000-4000-8000-000000000001'],
    zendeskUrl: 'https://acme.zendesk.com/agent/tickets/2001',
    ...overrides,
  };
}
