import { DataSource } from 'typeorm';
import { api, login, startTestApp, TestApp } from '../../testing/test-app';
import { fullTextQuery, parseTsvector, SimilarTicketsService } from './similar-tickets.service';

describe('similar tickets: full-text query of a ticket', () => {
  it('parses a tsvector, counting subject (weight A) positions 3×', () => {
    const lexemes = parseTsvector(`'crash':1A,7B 'ipad':2A 'login':8B,9B 'it''s':3B 'c:\\\\temp':4B`);
    expect(lexemes.get('crash')).toBe(4);
    expect(lexemes.get('ipad')).toBe(3);
    expect(lexemes.get('login')).toBe(2);
    expect(lexemes.get("it's")).toBe(1);
    expect(lexemes.get('c:\\temp')).toBe(1);
  });

  it('ORs the most distinctive lexemes, leaving out those in most tickets, quoted for tsquery', () => {
    const lexemes = new Map([
      ['crash', 4],
      ['app', 3],
      ['it', 1],
      ['42', 2],
    ]);
    expect(fullTextQuery(lexemes)).toBe(`'crash' | 'app' | 'it'`);
    const stats = {
      docs: 1000,
      df: new Map([
        ['app', 900],
        ['crash', 20],
        ['it', 40],
      ]),
    };
    expect(fullTextQuery(lexemes, stats)).toBe(`'crash' | 'it'`);
    expect(fullTextQuery(new Map([["o'brien", 1]]))).toBe(`'o''brien'`);
    expect(fullTextQuery(new Map())).toBe('');
  });
});

/** The service on the test PostgreSQL server, through `GET /api/tickets/{id}/similar`. */
describe('GET /api/tickets/{zendeskId}/similar', () => {
  let t: TestApp;
  let token: string;
  let db: DataSource;

  const TICKETS: Array<[number, string, string]> = [
    [1, 'iOS app crashes at login', 'Since the 4.2 update the iPhone app crashes every time I log in with SSO.'],
    [2, 'App crash on login (iOS)', 'The iOS app crashes right after logging in with single sign-on, version 4.2.'],
    [3, 'Invoice address wrong', 'Our invoices show the old billing address, how do I change it?'],
    [4, 'Dashboard slow', 'The analytics dashboard takes a minute to load every morning.'],
    [5, 'Export CSV times out', 'Exporting the sales report as CSV times out after 60 seconds.'],
  ];

  beforeAll(async () => {
    t = await startTestApp();
    token = await login(t.url);
    db = t.running.app.get(DataSource);
    for (const [id, subject, description] of TICKETS)
      await db.query(
        `INSERT INTO tickets (zendesk_id, subject, description, status, created_at, updated_at, content_hash)
         VALUES ($1, $2, $3, 'open', now(), now(), repeat('0', 64))`,
        [id, subject, description],
      );
    // Ticket 1 shares a cluster with ticket 4 (a coarse cluster), not with its real duplicate 2.
    const [{ id: cluster }] = await db.query(
      `INSERT INTO clusters (category, name) VALUES ('performance', 'App problems') RETURNING id`,
    );
    for (const ticket of [1, 4]) {
      const [{ id: analysis }] = await db.query(
        `INSERT INTO ticket_analyses (ticket_id, analyzer, model, status, reason, content_hash)
         VALUES ($1, 'local', 'local', 'issues_found', 'test', repeat('0', 64)) RETURNING id`,
        [ticket],
      );
      await db.query(
        `INSERT INTO issues (ticket_id, analysis_id, category, subcategory, issue_type, severity, summary, confidence,
                             cluster_id, ticket_created_at)
         VALUES ($1, $2, 'performance', 'app', 'bug', 'high', 'App problem', 0.9, $3, now())`,
        [ticket, analysis, cluster],
      );
    }
  }, 60_000);
  afterAll(() => t?.close());

  it('ranks by the tickets’ own text, not cluster first; shared clusters are reported', async () => {
    const res = await api(t.url, 'GET', '/api/tickets/1/similar?limit=3', { token });
    expect(res.status).toBe(200);
    expect(res.body.zendeskId).toBe(1);
    const items = res.body.items as Array<{ zendeskId: number; score: number; sharedClusterIds: string[] }>;
    expect(items[0]).toMatchObject({ zendeskId: 2, sharedClusterIds: [] });
    expect(Object.keys(items[0]!).sort()).toEqual(
      ['createdAt', 'score', 'sharedClusterIds', 'status', 'subject', 'zendeskId', 'zendeskUrl'].sort(),
    );
    expect(items[0]!.score).toBeGreaterThan(0.2);
    // The cluster-mate is a candidate even without words in common, and says it shares the cluster.
    const mate = items.find((i) => i.zendeskId === 4);
    if (mate) expect(mate.sharedClusterIds).toHaveLength(1);
    for (let i = 1; i < items.length; i++) expect(items[i - 1]!.score).toBeGreaterThanOrEqual(items[i]!.score);
    expect(items.map((i) => i.zendeskId)).not.toContain(1);
  });

  it('gives the same ranking once the collection statistics are loaded; 404 for an unknown ticket', async () => {
    const service = t.running.app.get(SimilarTicketsService);
    await service.warmUp();
    const warm = await service.similar(2, 2);
    expect(warm.items[0]!.zendeskId).toBe(1);
    expect((await api(t.url, 'GET', '/api/tickets/999/similar', { token })).status).toBe(404);
  });
});
