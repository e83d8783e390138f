import { Client } from 'pg';
import { api, closeSession, counter, login, openSession, TestApp } from '../../testing/test-app';
import { upload, waitForRun } from '../../testing/runs';
import { commentText } from '@app/tickets/comment-text';
import { MAPPED_ID_MIN, mappedTicketId } from '@app/tickets/ticket-ids';

/**
 * What a Zendesk admin downloads (Admin Center → Account → Tools → Reports → Export JSON): one ticket object per
 * line, with the Tickets API fields, the requester / assignee / organization objects embedded, and the comments of
 * the Ticket Comments API. Shapes as in Zendesk's "Tickets" and "Ticket Comments" JSON format references and as
 * read by public tools over these files (scottdotjs/zendesk-flatfile splits the dump line by line and reads
 * `requester`, `assignee`, `custom_fields`, `comments[].author_id/public/attachments`).
 */
function exportTicket(id: number, comments: Record<string, unknown>[], over: Record<string, unknown> = {}) {
  return {
    url: `https://acme.zendesk.com/api/v2/tickets/${id}.json`,
    id,
    external_id: null,
    via: {
      channel: 'email',
      source: { from: { address: 'ana@globex.example', name: 'Ana Lima' }, to: { address: 'help@acme.example' } },
    },
    created_at: '2026-10-01T10:00:00Z',
    updated_at: '2026-10-02T11:00:00Z',
    generated_timestamp: 1_791_000_000,
    type: 'problem',
    subject: `Export times out (${id})`,
    raw_subject: `Export times out (${id})`,
    description: 'Hi,\n\nThe CSV export & the PDF export time out after 60 seconds.',
    priority: 'high',
    status: 'open',
    recipient: 'help@acme.example',
    requester_id: 9001,
    submitter_id: 9001,
    assignee_id: 7001,
    organization_id: 42,
    group_id: 360_001,
    collaborator_ids: [],
    follower_ids: [],
    email_cc_ids: [],
    forum_topic_id: null,
    problem_id: null,
    has_incidents: false,
    is_public: true,
    due_at: null,
    tags: ['export', 'timeout'],
    custom_fields: [
      { id: 360_012_345, value: 'enterprise' },
      { id: 360_012_346, value: null },
      { id: 360_012_347, value: true },
      { id: 360_012_348, value: ['eu', 'de'] },
    ],
    satisfaction_rating: { id: 99, score: 'bad', comment: 'Still broken' },
    sharing_agreement_ids: [],
    followup_ids: [],
    brand_id: 360_000_001,
    allow_channelback: false,
    allow_attachments: true,
    requester: { id: 9001, name: 'Ana Lima', email: 'ana@globex.example' },
    submitter: { id: 9001, name: 'Ana Lima', email: 'ana@globex.example' },
    assignee: { id: 7001, name: 'Sam Agent', email: 'sam@acme.example' },
    organization: { id: 42, name: 'Globex' },
    comments,
    ...over,
  };
}

/** A comment as the export writes it when only the HTML survived (email replies, some channels). */
function htmlComment(id: number, authorId: number, html: string, isPublic = true) {
  return {
    id,
    type: 'Comment',
    author_id: authorId,
    html_body: html,
    public: isPublic,
    attachments: [],
    audit_id: id * 10,
    via: { channel: 'email', source: { rel: null } },
    created_at: '2026-10-01T10:00:00Z',
    metadata: { system: { ip_address: '203.0.113.9', location: 'Lisbon' } },
  };
}

const FIRST_HTML =
  '<div class="zd-comment" dir="auto"><p>Hi,</p><p>The CSV export &amp; the PDF export time out after 60 seconds.</p></div>';

let t: TestApp, token: string, db: Client;
const count = counter(() => db);

beforeAll(async () => ({ t, token, db } = await openSession()));
afterAll(() => closeSession(t, db));

const KEYED = [
  {
    id: 'TCK-1042',
    subject: 'iOS app crashes at login',
    body: 'The iOS app crashes when anyone on our team logs in.',
  },
  { id: 'banking_0001', subject: 'Transfer limit', body: 'How do I raise my daily transfer limit?' },
  {
    id: '3f0c2a4e-9b1d-4c7e-8a55-1e2d3c4b5a69',
    subject: 'Statement download broken',
    body: 'Downloading the PDF statement fails with an error every time.',
  },
  { id: 77, subject: 'Zendesk numbered', body: 'A ticket with a Zendesk id in the same file.' },
];
const keyedFile = `${KEYED.map((r) => JSON.stringify(r)).join('\n')}\n`;
const stored = async () =>
  (
    await db.query(
      `SELECT zendesk_id::text AS id, original_id FROM tickets WHERE zendesk_id = 77 OR original_id IS NOT NULL
        ORDER BY original_id COLLATE "C" NULLS FIRST`,
    )
  ).rows as { id: string; original_id: string | null }[];

describe('real export files', () => {
  it('imports a Zendesk JSON export whose first ticket line is 200 KB, with every field the export carries', async () => {
    // A busy ticket: 100 HTML-only replies of ~2 KB make its line far longer than the 64 KiB format sniff.
    const busy = [htmlComment(1, 9001, FIRST_HTML)];
    for (let i = 2; i <= 101; i++)
      busy.push(
        htmlComment(i, i % 2 ? 9001 : 7001, `<p>Reply ${i}: ${'still failing on the big report. '.repeat(60)}</p>`),
      );
    const lines = [
      exportTicket(8001, busy),
      exportTicket(8002, [htmlComment(201, 9001, FIRST_HTML), htmlComment(202, 7001, '<p>Known bug.</p>', false)], {
        via: { channel: 'web', source: { rel: null } },
        satisfaction_rating: { score: 'unoffered' },
        custom_fields: [],
      }),
      exportTicket(8003, [htmlComment(301, 9001, FIRST_HTML)], { group_id: null, assignee_id: null, assignee: null }),
    ].map((l) => JSON.stringify(l));
    expect(lines[0]!.length).toBeGreaterThan(200_000);

    const res = await upload(t, token, 'tickets-export.json', `${lines.join('\n')}\n`);
    expect(res.status).toBe(202);
    const run = await waitForRun(t, token, res.body.runId);
    expect(run).toMatchObject({ status: 'succeeded', stats: { rowsImported: 3, rowsRejected: 0 } });

    const busyTicket = (await api(t.url, 'GET', '/api/tickets/8001', { token })).body;
    expect(busyTicket).toMatchObject({
      channel: 'email',
      assigneeId: 7001,
      groupId: 360_001,
      satisfaction: 'bad',
      organizationName: 'Globex',
      requesterName: 'Ana Lima',
      brandId: 360_000_001,
      priority: 'high',
      type: 'problem',
      originalId: null,
      customFields: [
        { id: 360_012_345, value: 'enterprise' },
        { id: 360_012_346, value: null },
        { id: 360_012_347, value: true },
        { id: 360_012_348, value: ['eu', 'de'] },
      ],
    });
    // Every HTML-only comment kept, with the sync's text of it; the description is the first comment, not a copy.
    expect(busyTicket.commentCount).toBe(101);
    expect(busyTicket.comments[0].body).toBe(commentText({ html_body: FIRST_HTML }));
    expect(busyTicket.comments[0].body).toBe('Hi,\n\nThe CSV export & the PDF export time out after 60 seconds.');
    expect(busyTicket.comments[2].body).toMatch(/^Reply 3: still failing/);
    // Authors named by the embedded requester and assignee get their roles.
    expect(busyTicket.comments[0]).toMatchObject({ authorId: 9001, authorRole: 'end-user', authorName: 'Ana Lima' });
    expect(busyTicket.comments[1]).toMatchObject({ authorId: 7001, authorRole: 'agent', authorName: 'Sam Agent' });

    const web = (await api(t.url, 'GET', '/api/tickets/8002', { token })).body;
    expect(web).toMatchObject({ channel: 'web', satisfaction: 'unoffered', customFields: [] });
    expect(web.comments.map((c: { body: string; public: boolean }) => [c.body, c.public])).toEqual([
      ['Hi,\n\nThe CSV export & the PDF export time out after 60 seconds.', true],
      ['Known bug.', false],
    ]);
    expect((await api(t.url, 'GET', '/api/tickets/8003', { token })).body).toMatchObject({
      assigneeId: null,
      groupId: null,
    });
  });
});

describe('real export files', () => {
  it('imports tickets keyed by another tool under stable internal ids, keeping and showing the original id', async () => {
    const run = await waitForRun(t, token, (await upload(t, token, 'other-tool.jsonl', keyedFile)).body.runId);
    expect(run).toMatchObject({ status: 'succeeded', stats: { rowsImported: 4, rowsRejected: 0 } });
    expect(await stored()).toEqual([
      { id: '77', original_id: null },
      {
        id: String(mappedTicketId('3f0c2a4e-9b1d-4c7e-8a55-1e2d3c4b5a69')),
        original_id: '3f0c2a4e-9b1d-4c7e-8a55-1e2d3c4b5a69',
      },
      { id: String(mappedTicketId('TCK-1042')), original_id: 'TCK-1042' },
      { id: String(mappedTicketId('banking_0001')), original_id: 'banking_0001' },
    ]);
    const id = mappedTicketId('TCK-1042');
    expect(id).toBeGreaterThanOrEqual(MAPPED_ID_MIN);
    expect(Number.isSafeInteger(id)).toBe(true);
    const ticket = (await api(t.url, 'GET', `/api/tickets/${id}`, { token })).body;
    expect(ticket).toMatchObject({ zendeskId: id, originalId: 'TCK-1042', subject: 'iOS app crashes at login' });
    const list = (await api(t.url, 'GET', '/api/tickets?perPage=200', { token })).body;
    expect(list.items.find((i: { zendeskId: number }) => i.zendeskId === id)).toMatchObject({ originalId: 'TCK-1042' });

    // Issues and their CSV name the ticket by the id the file gave it.
    const issues = (await api(t.url, 'GET', `/api/issues?perPage=200`, { token })).body.items as {
      ticketId: number;
      ticketOriginalId: string | null;
    }[];
    const crash = issues.find((i) => i.ticketId === id);
    expect(crash?.ticketOriginalId).toBe('TCK-1042');
    const csv = await (
      await fetch(`${t.url}/api/export/issues`, { headers: { authorization: `Bearer ${token}` } })
    ).text();
    expect(csv).toMatch(/\n[0-9a-f-]{36},TCK-1042,iOS app crashes at login,/);
    expect(csv).not.toContain(String(id));
  });

  it('re-importing the same keyed file changes nothing', async () => {
    const before = await stored();
    const tickets = await count('SELECT count(*) AS n FROM tickets');
    const comments = await count('SELECT count(*) AS n FROM ticket_comments');
    const run = await waitForRun(t, token, (await upload(t, token, 'other-tool.jsonl', keyedFile)).body.runId);
    expect(run).toMatchObject({ status: 'succeeded', stats: { rowsImported: 4, ticketsChanged: 0 } });
    expect(await stored()).toEqual(before);
    expect(await count('SELECT count(*) AS n FROM tickets')).toBe(tickets);
    expect(await count('SELECT count(*) AS n FROM ticket_comments')).toBe(comments);
  });

  it('never overwrites another ticket that holds the hashed id: the key takes the next free one', async () => {
    const taken = mappedTicketId('TCK-7777');
    await db.query(
      `INSERT INTO tickets (zendesk_id, subject, status, content_hash, created_at, updated_at, source)
       VALUES ($1, 'Already here', 'open', repeat('0', 64), now(), now(), 'import')`,
      [taken],
    );
    const line = JSON.stringify({ id: 'TCK-7777', subject: 'Newcomer', body: 'A key whose hash is taken.' });
    const run = await waitForRun(t, token, (await upload(t, token, 'collide.jsonl', line)).body.runId);
    expect(run).toMatchObject({ status: 'succeeded', stats: { rowsImported: 1 } });
    const rows = (
      await db.query(`SELECT zendesk_id::text AS id, subject, original_id FROM tickets WHERE zendesk_id = ANY($1)`, [
        [taken, mappedTicketId('TCK-7777', 1)],
      ])
    ).rows;
    expect(rows.sort((a, b) => a.subject.localeCompare(b.subject))).toEqual([
      { id: String(taken), subject: 'Already here', original_id: null },
      { id: String(mappedTicketId('TCK-7777', 1)), subject: 'Newcomer', original_id: 'TCK-7777' },
    ]);
    // And the mapping sticks on the next import.
    await waitForRun(t, token, (await upload(t, token, 'collide.jsonl', line)).body.runId);
    expect(await count(`SELECT count(*) AS n FROM tickets WHERE original_id = 'TCK-7777'`)).toBe(1);
  });
});

describe('real export files', () => {
  it('rejects ids that are neither a Zendesk id nor a ticket key, naming the field', async () => {
    const file = [
      JSON.stringify({ id: 'no digits', subject: 'x' }),
      JSON.stringify({ id: 2 ** 52 + 5, subject: 'in the reserved range' }),
    ].join('\n');
    const run = await waitForRun(t, token, (await upload(t, token, 'bad-ids.jsonl', file)).body.runId);
    expect(run.stats).toMatchObject({ rowsImported: 0, rowsRejected: 2 });
    expect(run.errors.map((e: { message: string }) => e.message)).toEqual([
      expect.stringMatching(/^id must be a positive integer or a ticket key/),
      expect.stringMatching(/^id must be a positive integer below 4503599627370496/),
    ]);
  });
});
