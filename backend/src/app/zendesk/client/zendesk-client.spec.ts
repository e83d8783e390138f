import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import {
  DEFAULT_SIM_API_TOKEN,
  DEFAULT_SIM_EMAIL,
  DEFAULT_SIM_OAUTH_TOKEN,
  ZendeskSimulator,
  ZendeskSimulatorOptions,
} from '@pim/testing';
import { isCommentEvent, ZendeskApiError, ZendeskClient, ZendeskNotFoundError, ZendeskTicket } from './index';
import { longAgo, virtualSetup } from './zendesk-client.testing';

type VirtualSetup = Awaited<ReturnType<typeof virtualSetup>>;

/** `virtualSetup(simOptions)` for the tests of one describe block: set up before them, its simulator stopped after. */
function virtualSuite(simOptions: ZendeskSimulatorOptions): VirtualSetup {
  const suite = {} as VirtualSetup;
  beforeAll(async () => {
    Object.assign(suite, await virtualSetup(simOptions));
  });
  afterAll(() => suite.sim.stop());
  return suite;
}

/** ZendeskClient against the simulator: auth, the exports, lookups, pagination and links. */
describe('ZendeskClient: auth', () => {
  let sim: ZendeskSimulator;
  let url = '';
  beforeAll(async () => {
    sim = new ZendeskSimulator({ dataset: { tickets: 50, seed: 3 } });
    url = (await sim.start()).url;
  });
  afterAll(() => sim.stop());

  it('authenticates with an API token (Basic email/token:token)', async () => {
    const client = new ZendeskClient({
      baseUrl: url,
      auth: { email: DEFAULT_SIM_EMAIL, apiToken: DEFAULT_SIM_API_TOKEN },
    });
    const me = await client.me();
    expect(me.email).toBe(DEFAULT_SIM_EMAIL);
    expect(me.role).toBe('admin');
    expect(sim.requestLog.at(-1)?.auth).toBe('token');
  });

  it('authenticates with an OAuth bearer token', async () => {
    const client = new ZendeskClient({ baseUrl: `${url}/`, auth: { oauthToken: DEFAULT_SIM_OAUTH_TOKEN } });
    expect((await client.me()).email).toBe(DEFAULT_SIM_EMAIL);
    expect(sim.requestLog.at(-1)?.auth).toBe('oauth');
  });

  it('wrong credentials → ZendeskApiError 401 without any credential in the error', async () => {
    const secret = 'very-secret-token-123';
    const client = new ZendeskClient({ baseUrl: url, auth: { email: DEFAULT_SIM_EMAIL, apiToken: secret } });
    const before = sim.stats.requests;
    const err = await client.me().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZendeskApiError);
    expect(err).not.toBeInstanceOf(ZendeskNotFoundError);
    const e = err as ZendeskApiError;
    expect(e.status).toBe(401);
    expect(e.path).toBe('/api/v2/users/me.json');
    expect(e.message).toContain('/api/v2/users/me.json');
    expect(e.message).toContain('401');
    const basic = Buffer.from(`${DEFAULT_SIM_EMAIL}/token:${secret}`).toString('base64');
    const dump = `${e.message} ${e.stack ?? ''} ${JSON.stringify(e)} ${String(e.description)}`;
    expect(dump).not.toContain(secret);
    expect(dump).not.toContain(basic);
    expect(sim.stats.requests - before).toBe(1); // 401 is not retried

    const oauth = new ZendeskClient({ baseUrl: url, auth: { oauthToken: secret } });
    const e2 = (await oauth.me().catch((x: unknown) => x)) as ZendeskApiError;
    expect(e2.status).toBe(401);
    expect(`${e2.message} ${JSON.stringify(e2)}`).not.toContain(secret);
  });

  it('does not expose the credentials on the client object', () => {
    const secret = 'another-secret-456';
    const client = new ZendeskClient({ baseUrl: url, auth: { email: 'a@b.example', apiToken: secret } });
    const inspected = `${JSON.stringify(client)} ${inspect(client, { depth: 5 })}`;
    expect(inspected).not.toContain(secret);
    expect(inspected).not.toContain(Buffer.from(`a@b.example/token:${secret}`).toString('base64'));
  });
});

describe('ZendeskClient: cursor ticket export', () => {
  const zd = virtualSuite({ dataset: { tickets: 1100, seed: 11 } });

  it('pages through every ticket exactly once, with users and organizations sideloaded', async () => {
    const client = zd.make();
    const ids: number[] = [];
    const userIds = new Set<number>();
    const orgIds = new Set<number>();
    const tickets: ZendeskTicket[] = [];
    let page = await client.exportTicketsCursor({
      startTime: longAgo(zd.clock),
      perPage: 250,
      include: ['users', 'organizations'],
    });
    let pages = 1;
    for (;;) {
      for (const t of page.tickets) {
        ids.push(t.id);
        tickets.push(t);
      }
      page.users.forEach((u) => userIds.add(u.id));
      page.organizations.forEach((o) => orgIds.add(o.id));
      if (page.endOfStream) break;
      expect(page.afterCursor).toEqual(expect.any(String));
      page = await client.exportTicketsCursor({
        cursor: page.afterCursor as string,
        perPage: 250,
        include: ['users', 'organizations'],
      });
      pages++;
    }
    expect(pages).toBe(5);
    expect(ids.length).toBe(1100);
    expect(new Set(ids).size).toBe(1100);
    expect(new Set(ids)).toEqual(new Set(zd.sim.dataset.ticketIds()));
    for (const t of tickets) {
      expect(userIds.has(t.requester_id as number)).toBe(true);
      if (t.organization_id !== null) expect(orgIds.has(t.organization_id)).toBe(true);
    }
    expect(tickets.some((t) => t.status === 'deleted')).toBe(true); // deleted tickets are part of the export
    expect(zd.sim.violations).toBe(0);
  });

  it('resumes from a saved cursor (a new client, as after a restart)', async () => {
    const first = await zd.make().exportTicketsCursor({ startTime: longAgo(zd.clock), perPage: 400 });
    expect(first.endOfStream).toBe(false);
    const saved = first.afterCursor as string;
    const seen = first.tickets.map((t) => t.id);
    const resumed = zd.make();
    let cursor: string | null = saved;
    for (;;) {
      const page = await resumed.exportTicketsCursor({ cursor: cursor as string, perPage: 400 });
      seen.push(...page.tickets.map((t) => t.id));
      cursor = page.afterCursor;
      if (page.endOfStream) break;
    }
    expect(seen.length).toBe(1100);
    expect(new Set(seen).size).toBe(1100);

    // After changes, the saved cursor of the last page returns exactly the changed tickets.
    zd.clock.advance(5_000);
    zd.sim.touchTickets([1001, 1500, 2000]);
    const changed = await resumed.exportTicketsCursor({ cursor: cursor as string });
    expect(changed.tickets.map((t) => t.id).sort()).toEqual([1001, 1500, 2000]);
    expect(changed.endOfStream).toBe(true);
  });

  it('rejects a call without startTime or cursor before any request', async () => {
    const before = zd.sim.stats.requests;
    await expect(zd.make().exportTicketsCursor({})).rejects.toThrow(TypeError);
    expect(zd.sim.stats.requests).toBe(before);
  });
});

describe('ZendeskClient: ticket events and lookups', () => {
  const zd = virtualSuite({ dataset: { tickets: 200, seed: 5 } });

  it('pages the ticket event export with comment events', async () => {
    let startTime = longAgo(zd.clock);
    let comments = 0;
    let pages = 0;
    const ticketIds = new Set<number>();
    for (;;) {
      const page = await zd.client.ticketEvents({ startTime, includeComments: true, perPage: 500 });
      pages++;
      expect(page.count).toBe(page.events.length);
      for (const ev of page.events) {
        ticketIds.add(ev.ticket_id);
        for (const child of ev.child_events) {
          if (isCommentEvent(child)) {
            comments++;
            expect(typeof child.body).toBe('string');
            expect(typeof child.public).toBe('boolean');
          }
        }
      }
      expect(page.nextStartTime).toEqual(expect.any(Number));
      if (page.endOfStream) break;
      startTime = page.nextStartTime as number;
    }
    expect(pages).toBeGreaterThan(1);
    expect(comments).toBeGreaterThanOrEqual(200);
    expect(ticketIds.size).toBe(200);
  });

  it('getTicket, showManyUsers (chunked by 100), getOrganization', async () => {
    const ticket = await zd.client.getTicket(1010);
    expect(ticket.id).toBe(1010);
    const userIds = zd.sim.dataset.users().map((u) => u.id);
    expect(userIds.length).toBeGreaterThan(100);
    const before = zd.sim.requestsTo('users.show_many');
    const users = await zd.client.showManyUsers([...userIds, ...userIds.slice(0, 10)]);
    expect(users.map((u) => u.id).sort()).toEqual([...userIds].sort());
    expect(zd.sim.requestsTo('users.show_many') - before).toBe(Math.ceil(userIds.length / 100));
    expect(await zd.client.showManyUsers([])).toEqual([]);
    const orgId = ticket.organization_id ?? zd.sim.dataset.organizations()[0]?.id ?? 0;
    expect((await zd.client.getOrganization(orgId)).id).toBe(orgId);
  });
});

describe('ZendeskClient: comments pagination', () => {
  const zd = virtualSuite({ dataset: { tickets: 60, seed: 8 } });

  it('follows cursor pages across more than 100 comments, ascending, each once', async () => {
    const id = 1005;
    const initial = (await zd.client.ticketComments(id)).length;
    for (let i = 0; i < 245; i++) {
      zd.clock.advance(1_000);
      zd.sim.addComment(id, { body: `Follow-up number ${i}`, public: i % 3 !== 0 });
    }
    const before = zd.sim.requestsTo('tickets.comments');
    const comments = await zd.client.ticketComments(id);
    expect(comments.length).toBe(initial + 245);
    expect(new Set(comments.map((c) => c.id)).size).toBe(comments.length);
    const times = comments.map((c) => Date.parse(c.created_at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(comments.at(-1)?.body).toContain('Follow-up number 244');
    expect(comments.some((c) => c.public === false)).toBe(true);
    expect(zd.sim.requestsTo('tickets.comments') - before).toBe(Math.ceil((initial + 245) / 100));
    const pages = zd.sim.requestLog.filter((e) => e.endpoint === 'tickets.comments').slice(-3);
    expect(pages.every((e) => e.query.includes('page%5Bsize%5D=100') || e.query.includes('page[size]=100'))).toBe(true);
  });
});

describe('ZendeskClient: links to other origins', () => {
  const servers: Server[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  });
  const listen = async (handler: Parameters<typeof createServer>[1]): Promise<string> => {
    const s = createServer(handler);
    servers.push(s);
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  };

  it('never follows links.next to another origin: uses the cursor on its own base URL', async () => {
    const foreignAuth: Array<string | undefined> = [];
    const foreign = await listen((req, res) => {
      foreignAuth.push(req.headers.authorization);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"comments":[],"meta":{"has_more":false}}');
    });
    const paths: string[] = [];
    const base = await listen((req, res) => {
      paths.push(req.url ?? '');
      const after = new URL(req.url ?? '/', 'http://x').searchParams.get('page[after]');
      const body = after
        ? {
            comments: [
              { id: 2, type: 'Comment', author_id: 1, body: 'b', public: true, created_at: '2025-01-01T00:00:01Z' },
            ],
            meta: { has_more: false },
            links: { next: null },
          }
        : {
            comments: [
              { id: 1, type: 'Comment', author_id: 1, body: 'a', public: true, created_at: '2025-01-01T00:00:00Z' },
            ],
            meta: { has_more: true, after_cursor: 'CUR1' },
            links: { next: `${foreign}/api/v2/tickets/7/comments.json?page[after]=CUR1` },
          };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    const client = new ZendeskClient({ baseUrl: `${base}/zendesk`, auth: { oauthToken: 'secret-oauth' } });
    const comments = await client.ticketComments(7);
    expect(comments.map((c) => c.id)).toEqual([1, 2]);
    expect(foreignAuth).toEqual([]);
    expect(paths.every((p) => p.startsWith('/zendesk/api/v2/tickets/7/comments.json'))).toBe(true);
    expect(paths[1]).toContain('CUR1');
  });

  it('does not follow redirects (credentials stay on the configured origin)', async () => {
    let foreignHits = 0;
    const foreign = await listen((_req, res) => {
      foreignHits++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"user":{"id":1}}');
    });
    const base = await listen((_req, res) => {
      res.writeHead(302, { location: `${foreign}/api/v2/users/me.json` }).end();
    });
    const client = new ZendeskClient({ baseUrl: base, auth: { oauthToken: 'secret-oauth' } });
    await expect(client.me()).rejects.toMatchObject({ status: 302 });
    expect(foreignHits).toBe(0);
  });
});
