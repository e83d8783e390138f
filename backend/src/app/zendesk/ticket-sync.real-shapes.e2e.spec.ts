import { ZendeskSimulator } from '@pim/testing';
import { Client } from 'pg';
import { sleep } from '@app/common/async';
import { AnalysisTicketsService } from '@app/analysis/analysis-tickets.service';
import { ClusteringService } from '@app/issues/clustering/clustering.service';
import { api, closeSession, connectClient, login, startTestApp, TestApp } from '../../testing/test-app';
import { TicketSyncService } from './ticket-sync.service';

/**
 * The sync against the shapes Zendesk really sends (the simulator speaks them): comment events without
 * `plain_body`, privacy changes after posting, voice comments, comment authors that were not side-loaded, merged
 * and scrubbed tickets, organization fields. Both thread strategies are forced in turn on the same account.
 */
jest.setTimeout(180_000);

/** The columns of a stored ticket the assertions read by name (pg gives bigint as text). */
interface StoredTicketRow {
  merged_into_id: string | null;
  content_hash: string;
  scrubbed_at: Date | null;
  deleted_at: Date | null;
}

interface StoredComment {
  id: string;
  body: string;
  public: boolean;
  kind: string;
  author_role: string;
}

describe('TicketSyncService against real Zendesk shapes', () => {
  let sim: ZendeskSimulator;
  let t: TestApp;
  let db: Client;
  let sync: TicketSyncService;
  let ids: {
    markdown: number;
    madePrivate: number;
    madePrivateComment: number;
    madePublic: number;
    madePublicComment: number;
    voice: number;
    tpeVoice: number;
    cc: number;
    ccUser: number;
    source: number;
    target: number;
    scrubbed: number;
  };

  const thread = async (id: number): Promise<StoredComment[]> =>
    (
      await db.query(
        `SELECT zendesk_comment_id AS id, body, public, kind, author_role FROM ticket_comments
          WHERE ticket_id = $1 ORDER BY position`,
        [id],
      )
    ).rows;
  const ticketRow = async (id: number) =>
    (await db.query<StoredTicketRow>('SELECT * FROM tickets WHERE zendesk_id = $1', [id])).rows[0]!;
  /** Stores an analysis of ticket `id` that found issues (`reason`), at the ticket's current text: its id. */
  const storeAnalysis = async (id: number, reason: string): Promise<string> =>
    (
      await db.query(
        `INSERT INTO ticket_analyses (ticket_id, analyzer, model, status, reason, content_hash)
         VALUES ($1, 'local', 'test', 'issues_found', $2, $3) RETURNING id`,
        [id, reason, (await ticketRow(id)).content_hash],
      )
    ).rows[0].id;
  /** The thread as the comments API shows it now, with the text both strategies store (`body`). */
  const apiThread = (id: number) =>
    sim.dataset.getComments(id).map((c) => ({
      id: String(c.id),
      body: c.body.replace(/\r\n?/g, '\n'),
      public: c.public,
      kind: c.type,
    }));

  /** Zendesk dates changes in whole seconds: a change in the same second as the last sync would look unchanged. */
  const nextSecond = () => sleep(1100);

  beforeAll(async () => {
    sim = new ZendeskSimulator({ dataset: { tickets: 300, seed: 21 }, plan: 'enterprise', timeScale: 600 });
    await sim.start();
    const ds = sim.dataset;
    const live = ds.liveTicketIds();
    const withRole = (role: 'agent' | 'internal', from: number) => {
      for (const id of live.slice(from)) {
        const c = ds.getComments(id).find((x) => x.role === role);
        if (c) return { id, comment: c.id };
      }
      throw new Error(`no ${role} comment`);
    };
    const priv = withRole('agent', 10);
    const pub = withRole('internal', live.indexOf(priv.id) + 1);
    // An end user who requests no ticket: never side-loaded with the export (a CC replying, say).
    const referenced = new Set(live.flatMap((id) => [ds.getTicket(id)!.requester_id, ds.getTicket(id)!.submitter_id]));
    const ccUser = ds.users().find((u) => u.role === 'end-user' && !referenced.has(u.id))!.id;
    const rest = live
      .filter((id) => id !== priv.id && id !== pub.id && ds.getTicket(id)!.organization_id !== null)
      .slice(100);
    ids = {
      markdown: live[3],
      madePrivate: priv.id,
      madePrivateComment: priv.comment,
      madePublic: pub.id,
      madePublicComment: pub.comment,
      voice: rest[0],
      tpeVoice: rest[1],
      cc: rest[2],
      ccUser,
      source: rest[3],
      target: rest[4],
      scrubbed: rest[5],
    };
    // Markdown: `body` keeps it, Zendesk's plain_body drops it, and comment events carry no plain_body.
    sim.addComment(ids.markdown, {
      body: '**Update:** the fix ships in [release 4.2](https://example.com/rn).\r\nThanks for your patience',
      public: true,
    });
    sim.setCommentPublic(ids.madePrivate, ids.madePrivateComment, false);
    sim.setCommentPublic(ids.madePublic, ids.madePublicComment, true);
    sim.addVoiceComment(ids.voice, { transcript: 'The CSV export of the usage report times out after a minute.' });
    sim.addVoiceComment(ids.tpeVoice, {
      transcript: 'Dashboards load slowly on Monday mornings.',
      type: 'TpeVoiceComment',
    });
    sim.addComment(ids.cc, { body: 'Same problem on our side, adding myself here.', public: true, author_id: ccUser });
    sim.mergeTickets([ids.source], ids.target);

    t = await startTestApp({ env: sim.productEnv(700) });
    db = await connectClient(t.database!.url);
    sync = t.running.app.get(TicketSyncService);
  });
  afterAll(() => closeSession(t, db, sim));

  it('builds threads from comment events exactly as the comments API shows them (privacy changes, voice, kinds)', async () => {
    const totals = await sync.sync({ backfillDays: 130, runId: 'events', threadStrategy: 'events' });
    expect(totals.threadStrategy).toBe('events');
    expect(sim.requestsTo('incremental.ticket_events')).toBeGreaterThan(0);
    for (const id of [ids.markdown, ids.madePrivate, ids.madePublic, ids.voice, ids.tpeVoice, ids.cc])
      expect((await thread(id)).map(({ author_role: _r, ...c }) => c)).toEqual(apiThread(id));
    // A public reply made private later is stored as internal, and an internal note made public as public.
    const priv = (await thread(ids.madePrivate)).find((c) => Number(c.id) === ids.madePrivateComment)!;
    expect(priv.public).toBe(false);
    const pub = (await thread(ids.madePublic)).find((c) => Number(c.id) === ids.madePublicComment)!;
    expect(pub.public).toBe(true);
    // Calls are kept with their kind and transcription.
    const voice = (await thread(ids.voice)).at(-1)!;
    expect(voice).toMatchObject({ kind: 'VoiceComment', public: false });
    expect(voice.body).toContain('The CSV export of the usage report times out after a minute.');
    expect((await thread(ids.tpeVoice)).at(-1)!.kind).toBe('TpeVoiceComment');
    expect(sim.violations).toBe(0);
  });

  it('fetches comment authors missing from the side-loaded users with users/show_many', async () => {
    expect(sim.requestsTo('users.show_many')).toBeGreaterThanOrEqual(1);
    const cc = (await thread(ids.cc)).at(-1)!;
    expect(cc.author_role).toBe('end-user');
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM ticket_comments c JOIN zendesk_users u ON u.id = c.author_id
        WHERE c.author_role = 'unknown'`,
    );
    expect(rows[0].n).toBe(0);
    expect((await db.query('SELECT role FROM zendesk_users WHERE id = $1', [ids.ccUser])).rows[0].role).toBe(
      'end-user',
    );
  });

  it('links a merged ticket to its target and leaves it out of analysis', async () => {
    expect((await ticketRow(ids.source)).merged_into_id).toBe(String(ids.target));
    expect((await ticketRow(ids.target)).merged_into_id).toBeNull();
    const pending = await t.running.app.get(AnalysisTicketsService).pendingIds();
    expect(pending).toContain(ids.target);
    expect(pending).not.toContain(ids.source);
    // An issue found on the source before the merge leaves the clusters and their counts; the target's stays.
    const issueOf = async (id: number) => {
      const analysisId = await storeAnalysis(id, 'export times out');
      return (
        await db.query(
          `INSERT INTO issues (ticket_id, analysis_id, category, subcategory, issue_type, severity, summary, confidence,
                               ticket_created_at)
           VALUES ($1, $2, 'reporting', 'export', 'bug', 'high', 'CSV export times out', 0.9, now()) RETURNING id`,
          [id, analysisId],
        )
      ).rows[0].id as string;
    };
    const onSource = await issueOf(ids.source);
    const onTarget = await issueOf(ids.target);
    await t.running.app.get(ClusteringService).clusterPending(null);
    const hidden = async (issue: string) =>
      (await db.query('SELECT hidden FROM issues WHERE id = $1', [issue])).rows[0];
    expect(await hidden(onSource)).toEqual({ hidden: true });
    expect(await hidden(onTarget)).toEqual({ hidden: false });
    await db.query('DELETE FROM ticket_analyses WHERE ticket_id = ANY($1)', [[ids.source, ids.target]]);
  });

  it('stores a thread fetched per ticket byte-identical to the one built from events, with the same hash', async () => {
    const threaded = [ids.markdown, ids.madePrivate, ids.madePublic, ids.voice, ids.tpeVoice];
    const before = new Map<number, { comments: StoredComment[]; hash: string }>();
    for (const id of threaded) before.set(id, { comments: await thread(id), hash: (await ticketRow(id)).content_hash });
    await nextSecond();
    sim.touchTickets(threaded);
    const comments = sim.requestsTo('tickets.comments');
    const totals = await sync.sync({ threadStrategy: 'per_ticket' });
    expect(totals.threadStrategy).toBe('per_ticket');
    expect(sim.requestsTo('tickets.comments') - comments).toBeGreaterThanOrEqual(threaded.length);
    for (const id of threaded) {
      expect(await thread(id)).toEqual(before.get(id)!.comments);
      expect((await ticketRow(id)).content_hash).toBe(before.get(id)!.hash);
    }
    // Unchanged text: nothing to analyse again when the strategy flips.
    expect(totals.changedIds.filter((id) => threaded.includes(id))).toEqual([]);
    // The merge is also found from the per-ticket thread (the source's merge comment).
    await db.query('UPDATE tickets SET merged_into_id = NULL WHERE zendesk_id = $1', [ids.source]);
    await nextSecond();
    sim.touchTickets([ids.source]);
    await sync.sync({ threadStrategy: 'per_ticket' });
    expect((await ticketRow(ids.source)).merged_into_id).toBe(String(ids.target));
  });

  it('does not trust event-built threads when the export gives no comment count: fetched per ticket', async () => {
    (sim as unknown as { options: { commentCount?: boolean } }).options.commentCount = false;
    try {
      const touched = [ids.markdown, ids.voice];
      await nextSecond();
      sim.touchTickets(touched);
      const events = sim.requestsTo('incremental.ticket_events');
      const totals = await sync.sync({ threadStrategy: 'events' });
      expect(totals.threadStrategy).toBe('per_ticket');
      expect(sim.requestsTo('incremental.ticket_events')).toBe(events);
      for (const id of touched) expect((await thread(id)).map(({ author_role: _r, ...c }) => c)).toEqual(apiThread(id));
    } finally {
      (sim as unknown as { options: { commentCount?: boolean } }).options.commentCount = true;
    }
  });

  it('purges a scrubbed ticket (subject SCRUBBED, description X) down to a tombstone, analysis text included', async () => {
    const id = ids.scrubbed;
    expect((await thread(id)).length).toBeGreaterThan(0);
    const analysisId = await storeAnalysis(id, 'Customer Jane Roe cannot export');
    await db.query(
      `INSERT INTO issues (ticket_id, analysis_id, category, subcategory, issue_type, severity, summary, detail, quote,
                           confidence, ticket_created_at)
       VALUES ($1, $2, 'reporting', 'export', 'bug', 'high', 'Jane cannot export', 'detail text', 'quote text', 0.9,
               now())`,
      [id, analysisId],
    );
    await nextSecond();
    sim.scrubTicket(id);
    const totals = await sync.sync();
    expect(await db.query('SELECT zendesk_id FROM tickets WHERE scrubbed_at IS NOT NULL')).toMatchObject({
      rows: [{ zendesk_id: String(id) }],
    });
    expect(totals.ticketsScrubbed).toBe(1);
    const row = await ticketRow(id);
    expect(row).toMatchObject({ subject: '', description: '', status: 'deleted', tags: [], comment_count: 0 });
    expect(row.scrubbed_at).not.toBeNull();
    expect(row.deleted_at).not.toBeNull();
    expect(await thread(id)).toEqual([]);
    const texts = (
      await db.query(
        `SELECT a.reason, i.summary, i.detail, i.quote, i.hidden FROM ticket_analyses a JOIN issues i ON i.analysis_id = a.id
          WHERE a.ticket_id = $1`,
        [id],
      )
    ).rows;
    expect(texts).toEqual([{ reason: 'scrubbed', summary: 'scrubbed', detail: '', quote: null, hidden: true }]);
    // A later export of the same tombstone changes nothing.
    await nextSecond();
    sim.touchTickets([id]);
    expect((await sync.sync()).ticketsScrubbed).toBe(0);
  });

  it('stores organization fields and exposes them with the ticket custom fields, read-only', async () => {
    const token = await login(t.url);
    const ticket = sim.dataset.getTicket(ids.voice)!;
    const res = await api(t.url, 'GET', `/api/tickets/${ids.voice}`, { token });
    expect(res.status).toBe(200);
    expect(res.body.customFields).toEqual(ticket.custom_fields);
    expect(res.body.organizationFields).toEqual(
      sim.dataset.getOrganization(ticket.organization_id!)!.organization_fields,
    );
    expect(res.body.comments.at(-1).kind).toBe('VoiceComment');
    const merged = await api(t.url, 'GET', `/api/tickets/${ids.source}`, { token });
    expect(merged.body.mergedIntoId).toBe(ids.target);
  });
});
