import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportDatasetToString, ZendeskDataset } from '@pim/testing';
import { api, login, startTestApp, TestApp } from '../testing/test-app';
import { importAndWait } from '../testing/runs';

/**
 * Walks every operation of the served OpenAPI document with hostile but valid-looking values (one query
 * parameter, path parameter, JSON body field or bearer token at a time) and asserts that no answer is a 5xx and
 * that every 400 names the field. A new route or field is walked without touching this file; a new path
 * parameter or request body needs a seed below (the walk fails until it has one).
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
  required?: string[];
}
interface Parameter {
  name: string;
  in: 'query' | 'path' | 'header' | 'cookie';
  required?: boolean;
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, unknown>;
  security?: unknown[];
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

/** Operations that end the session of the token they are sent with. */
const SESSION_ENDING = new Set(['logout']);
const METRICS_TOKEN = 'metrics-token-for-the-walk-0123456789';
const NUL = '\u0000';

/** The hostile values: each is sent in place of one field (query and path values are sent as their text). */
const HOSTILE: { label: string; value: Json }[] = [
  { label: 'null', value: null },
  { label: "''", value: '' },
  { label: 'NUL', value: NUL },
  { label: 'a NUL b', value: `a${NUL}b` },
  { label: '1e20', value: 1e20 },
  { label: "'1e20'", value: '1e20' },
  { label: '-1', value: -1 },
  { label: '1.5', value: 1.5 },
  { label: "'9'×30", value: '9'.repeat(30) },
  { label: "'é'×300", value: 'é'.repeat(300) },
  { label: '8 KB', value: 'x'.repeat(8 * 1024) },
  { label: '100 KB', value: 'x'.repeat(100 * 1024) },
  { label: 'array', value: ['a', 'b'] },
  { label: 'object', value: { a: 1 } },
  { label: 'true', value: true },
  { label: 'nested 3,000 deep', value: JSON.parse('['.repeat(3000) + ']'.repeat(3000)) as Json },
  { label: 'far-future date', value: '+275760-09-13T00:00:00.000Z' },
  { label: 'far-past date', value: '-271821-04-20T00:00:00.000Z' },
  { label: 'year 0', value: '0000-01-01T00:00:00Z' },
  { label: 'invalid date', value: '2024-02-30T25:61:00Z' },
];

/** Hostile bearer tokens, sent to every operation (printable in Latin-1: fetch refuses the rest). */
const TOKENS = [
  `Bearer ${'é'.repeat(METRICS_TOKEN.length)}`,
  `Bearer ${'é'.repeat(300)}`,
  `Bearer ${'9'.repeat(30)}`,
  `Bearer ${'x'.repeat(8 * 1024)}`,
  'Bearer ',
  'Basic YTpi',
];

interface Finding {
  operation: string;
  where: string;
  value: string;
  status: number;
  message: string;
}

function messageOf(body: unknown): string {
  if (body && typeof body === 'object' && 'message' in body) {
    const message = (body as { message: unknown }).message;
    return Array.isArray(message) ? message.join('; ') : String(message);
  }
  return typeof body === 'string' ? body : JSON.stringify(body ?? '');
}

/** The message names one of the fields as a word ("uuid" does not name `id`). */
const names = (message: string, fields: string[]) =>
  fields.some((field) => new RegExp(`(^|[^\\w])${field}([^\\w]|$)`).test(message));

const short = (text: string) => (text.length > 160 ? `${text.slice(0, 160)}…` : text);

function resolve(doc: Document, schema: Schema | undefined): Schema | undefined {
  if (!schema) return undefined;
  if (schema.$ref) return resolve(doc, doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')]);
  if (schema.allOf?.length === 1) return resolve(doc, schema.allOf[0]);
  return schema;
}

/** The value keeping only what the schema describes (a response shaped like the request carries extra fields). */
function pick(doc: Document, value: Json, schema: Schema | undefined): Json {
  const s = resolve(doc, schema);
  if (Array.isArray(value)) return value.map((v) => pick(doc, v, s?.items));
  if (value && typeof value === 'object' && s?.properties) {
    const out: Record<string, Json> = {};
    for (const key of Object.keys(s.properties)) if (key in value) out[key] = pick(doc, value[key], s.properties[key]);
    return out;
  }
  return value;
}

/** Every field path of a body: its properties, the first element of arrays and nested objects present in `base`. */
function fieldPaths(doc: Document, schema: Schema | undefined, base: Json, prefix: (string | number)[] = []) {
  const out: (string | number)[][] = [];
  const s = resolve(doc, schema);
  for (const [key, child] of Object.entries(s?.properties ?? {})) {
    const path = [...prefix, key];
    out.push(path);
    const value = base && typeof base === 'object' && !Array.isArray(base) ? base[key] : undefined;
    const c = resolve(doc, child);
    if (c?.type === 'array' && Array.isArray(value) && value.length) {
      const item = resolve(doc, c.items);
      if (item?.properties) out.push(...fieldPaths(doc, item, value[0], [...path, 0]));
      else out.push([...path, 0]);
    } else if (c?.properties && value && typeof value === 'object') {
      out.push(...fieldPaths(doc, c, value, path));
    }
  }
  return out;
}

/** The property names in a value, at any depth. */
function keysOf(value: Json | undefined): string[] {
  if (!value || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap(keysOf);
  return Object.entries(value).flatMap(([key, v]) => [key, ...keysOf(v)]);
}

function setAt(base: Json, path: (string | number)[], value: Json): Json {
  const copy = structuredClone(base) as Record<string | number, Json>;
  let node = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  node[path[path.length - 1]] = value;
  return copy;
}

function queryString(name: string, value: Json): string {
  const e = encodeURIComponent;
  if (Array.isArray(value)) return value.map((v) => `${e(name)}=${e(String(v))}`).join('&');
  if (value && typeof value === 'object')
    return Object.entries(value)
      .map(([k, v]) => `${e(name)}[${e(k)}]=${e(String(v))}`)
      .join('&');
  return `${e(name)}=${e(String(value))}`;
}

describe('the whole API against hostile but valid-looking input (real PostgreSQL)', () => {
  let t: TestApp;
  let admin: string;
  let doc: Document;
  const seeds: Record<string, string> = {};
  const dataset = new ZendeskDataset({ tickets: 40, seed: 13 });

  beforeAll(async () => {
    t = await startTestApp({ env: { METRICS_TOKEN } });
    admin = await login(t.url);
    const run = await importAndWait(t, admin, await exportDatasetToString(dataset, { format: 'jsonl' }));
    expect(run.status).toBe('succeeded');
    doc = (await api(t.url, 'GET', '/api/docs-json', { token: admin })).body as Document;

    const clusters = (await api(t.url, 'GET', '/api/clusters?sort=issueCount:desc', { token: admin })).body;
    expect(clusters.items.length).toBeGreaterThanOrEqual(3);
    const [a, b] = clusters.items as { id: string }[];
    const issues = (await api(t.url, 'GET', `/api/issues?clusterId=${a.id}`, { token: admin })).body;
    const tickets = (await api(t.url, 'GET', '/api/tickets', { token: admin })).body;
    const victim = await api(t.url, 'POST', '/api/users', {
      token: admin,
      body: { email: 'victim@test.local', role: 'editor', password: 'victim-password-1' },
    });
    expect(victim.status).toBe(201);
    Object.assign(seeds, {
      clusterId: a.id,
      otherClusterId: b.id,
      issueId: issues.items[0].id,
      zendeskId: String(tickets.items[0].zendeskId),
      runId: run.id,
      userId: victim.body.id,
    });
  }, 180_000);

  afterAll(async () => {
    await t?.close();
  });

  /** The value of a path parameter that names a seeded row. */
  function pathSeed(path: string, name: string): string {
    if (name === 'zendeskId') return seeds.zendeskId;
    if (name === 'candidateId') return seeds.otherClusterId;
    if (name === 'organizationId') return '1';
    if (name === 'id') {
      if (path.startsWith('/api/clusters/')) return seeds.clusterId;
      if (path.startsWith('/api/issues/')) return seeds.issueId;
      if (path.startsWith('/api/sync/runs/')) return seeds.runId;
      if (path.startsWith('/api/users/')) return seeds.userId;
    }
    throw new Error(`no seed for path parameter ${name} of ${path}: add one to pathSeed`);
  }

  /** A valid body per operation; hostile values replace one field at a time. Chosen not to end the walk. */
  async function baseBody(operationId: string): Promise<Json> {
    switch (operationId) {
      case 'login': // an unknown account: never the admin's
        return { email: 'nobody@test.local', password: 'not-the-password' };
      case 'changePassword': // a wrong current password: the admin's never changes
        return { currentPassword: 'not-the-password', newPassword: 'fuzz-password-2' };
      case 'updateCluster':
        return { pmNotes: 'walked' };
      case 'mergeClusters':
        return { sourceIds: [seeds.otherClusterId] };
      case 'splitCluster':
        return { issueIds: [seeds.issueId], name: 'split by the walk' };
      case 'moveIssue':
        return { clusterId: seeds.otherClusterId };
      case 'reanalyzeTickets':
        return { ticketIds: [Number(seeds.zendeskId)] };
      case 'updateAnalysisSettings':
        return { mode: 'auto', model: null };
      case 'createExternalIssue': // no tracker is configured here: a 400 naming provider
        return { provider: 'jira' };
      case 'linkExternalIssue':
        return { provider: 'linear', key: 'ENG-1' };
      case 'updateAccountSettings':
        return { mapping: { arr: 'arr', plan: null } };
      case 'updateAlertSettings':
        return { rules: { emerging: { enabled: true, minIssues: 5 } }, ratePerHour: 30 };
      case 'updateTaxonomy': {
        const current = (await api(t.url, 'GET', '/api/settings/taxonomy', { token: admin })).body as Json;
        return pick(doc, current, { $ref: '#/components/schemas/UpdateTaxonomyRequest' });
      }
      case 'createUser':
        return { email: 'walked@test.local', role: 'viewer', password: 'walked-password-1' };
      case 'updateUser': // the seeded victim, never the admin
        return { name: 'Victim' };
      default:
        throw new Error(`no base body for ${operationId}: add one to baseBody`);
    }
  }

  async function send(method: string, url: string, options: { body?: Json; authorization?: string } = {}) {
    const headers: Record<string, string> = { authorization: options.authorization ?? `Bearer ${admin}` };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let status: number;
    let text: string;
    try {
      const res = await fetch(`${t.url}${url}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
      status = res.status;
      text = await res.text();
    } catch (error) {
      // A stream that fails after its headers went out ends the connection: as bad as a 500.
      return { status: 599, body: `connection ended: ${String((error as Error).cause ?? error)}` };
    }
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status, body };
  }

  describe('the 500s found before (each now a 400 naming the field)', () => {
    it.each(['name', 'pmStatus', 'pmNotes'])('PATCH /api/clusters/{id} with a null %s', async (field) => {
      const res = await send('PATCH', `/api/clusters/${seeds.clusterId}`, { body: { [field]: null } });
      expect(res.status).toBe(400);
      expect(messageOf(res.body)).toContain(field);
    });

    it.each(['/api/issues', '/api/clusters', '/api/tickets', '/api/users', '/api/sync/runs', '/api/audit'])(
      '%s?page=1e20',
      async (path) => {
        const res = await send('GET', `${path}?page=1e20`);
        expect(res.status).toBe(400);
        expect(messageOf(res.body)).toContain('page');
      },
    );

    it.each([
      ['GET', '/api/tickets/99999999999999999999'],
      ['GET', '/api/tickets/99999999999999999999/similar'],
      ['POST', '/api/tickets/99999999999999999999/reanalyze'],
    ])('%s %s (a zendeskId beyond bigint)', async (method, path) => {
      const res = await send(method, path);
      expect(res.status).toBe(400);
      expect(messageOf(res.body)).toContain('zendeskId');
    });

    it('GET /metrics with a non-ASCII bearer token', async () => {
      const res = await send('GET', '/metrics', { authorization: `Bearer ${'é'.repeat(METRICS_TOKEN.length)}` });
      expect(res.status).toBe(400);
      expect(messageOf(res.body)).toContain('authorization');
      // The scraper's token still works.
      expect((await send('GET', '/metrics', { authorization: `Bearer ${METRICS_TOKEN}` })).status).toBe(200);
    });

    it.each(['/api/issues', '/api/clusters', '/api/tickets', '/api/export/issues', '/api/export/clusters'])(
      '%s?search=%00 (a NUL byte)',
      async (path) => {
        const res = await send('GET', `${path}?search=a%00b`);
        expect(res.status).toBe(400);
        expect(messageOf(res.body)).toContain('search');
      },
    );
  });

  it('serves the committed OpenAPI document, so the walk covers every operation and field the client knows', () => {
    const committed = JSON.parse(
      readFileSync(join(__dirname, '../../../libs/api-client/openapi.json'), 'utf8'),
    ) as Document;
    // What a request can carry (responses are not walked).
    const inputs = (d: Document) =>
      Object.fromEntries(
        Object.entries(d.paths).flatMap(([path, ops]) =>
          Object.entries(ops).map(([method, op]) => [
            `${method} ${path}`,
            { parameters: op.parameters ?? [], requestBody: op.requestBody ?? null },
          ]),
        ),
      );
    expect(inputs(doc)).toEqual(inputs(committed));
    const requestSchemas = (d: Document) => {
      const out: Record<string, unknown> = {};
      const visit = (value: unknown): void => {
        if (Array.isArray(value)) return value.forEach(visit);
        if (!value || typeof value !== 'object') return;
        const ref = (value as Schema).$ref?.replace('#/components/schemas/', '');
        if (ref && !(ref in out)) visit((out[ref] = d.components.schemas[ref]));
        Object.values(value).forEach(visit);
      };
      visit(Object.values(inputs(d)));
      return out;
    };
    // Descriptions aside: a shared enum takes the description of whichever property was scanned first.
    const shape = (value: unknown): unknown =>
      JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'description' ? undefined : v)));
    expect(shape(requestSchemas(doc))).toEqual(shape(requestSchemas(committed)));
  });

  it('answers every operation, field and hostile value with a 2xx or 4xx (a 400 names the field)', async () => {
    const findings: Finding[] = [];
    let requests = 0;
    const check = (
      operation: string,
      where: string,
      value: string,
      fields: string[] | undefined,
      res: { status: number; body: unknown },
    ) => {
      requests++;
      const message = messageOf(res.body);
      if (res.status >= 500 || (res.status === 400 && fields && !names(message, fields)))
        findings.push({ operation, where, value, status: res.status, message: short(message) });
    };

    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
    );
    // Deletions last (they remove seeds), runs just before them (a run keeps working in the background).
    const rank = (o: { method: string; op: Operation }) => (o.method === 'DELETE' ? 2 : o.op.responses['202'] ? 1 : 0);
    operations.sort((x, y) => rank(x) - rank(y));
    expect(operations.length).toBeGreaterThan(30);

    for (const { path, method, op } of operations) {
      const name = `${method} ${path}`;
      const params = op.parameters ?? [];
      const pathParams = params.filter((p) => p.in === 'path');
      const seeded = Object.fromEntries(pathParams.map((p) => [p.name, pathSeed(path, p.name)]));
      const url = (values: Record<string, string>) =>
        path.replace(/\{(\w+)\}/g, (_, key: string) => encodeURIComponent(values[key]));
      const required = params.filter((p) => p.in === 'query' && p.required);
      if (required.length) throw new Error(`${name}: required query parameters need seeds`);
      const json = op.requestBody?.content['application/json'];
      const base = json ? await baseBody(op.operationId) : undefined;
      const isDelete = method === 'DELETE';
      // An operation that ends the caller's session (logout) is walked with a fresh session per request.
      const sendOp: typeof send = SESSION_ENDING.has(op.operationId)
        ? async (m, u, o = {}) => send(m, u, { ...o, authorization: o.authorization ?? `Bearer ${await login(t.url)}` })
        : send;
      // A 400 that depends on state (e.g. "issueIds not in cluster" once the issue moved) names a field sent.
      const sent = [...pathParams.map((p) => p.name), ...keysOf(base)];

      // The seeded request itself (not for deletions: they would remove the seed).
      if (!isDelete) check(name, 'as seeded', '-', undefined, await sendOp(method, url(seeded), { body: base }));

      for (const token of TOKENS) {
        const res = await sendOp(method, url(seeded), { body: base, authorization: token });
        check(name, 'header authorization', short(token), ['authorization'], res);
      }

      for (const p of params.filter((q) => q.in === 'query'))
        for (const h of HOSTILE) {
          const res = await sendOp(method, `${url(seeded)}?${queryString(p.name, h.value)}`, { body: base });
          check(name, `query ${p.name}`, h.label, [p.name, ...sent], res);
        }

      for (const p of pathParams)
        for (const h of HOSTILE) {
          const text = h.value !== null && typeof h.value === 'object' ? JSON.stringify(h.value) : String(h.value);
          if (text === '') continue; // another route
          const res = await sendOp(method, url({ ...seeded, [p.name]: text }), { body: base });
          check(name, `path ${p.name}`, h.label, [p.name, ...sent], res);
        }

      if (json && base !== undefined) {
        for (const field of fieldPaths(doc, json.schema, base)) {
          const leaf = String(field.filter((k) => typeof k === 'string').pop());
          for (const h of HOSTILE) {
            const res = await sendOp(method, url(seeded), { body: setAt(base, field, h.value) });
            check(name, `body ${field.join('.')}`, h.label, [leaf, ...sent], res);
          }
        }
        for (const h of HOSTILE) {
          const res = await sendOp(method, url(seeded), { body: h.value });
          check(name, 'the whole body', h.label, undefined, res);
        }
      }

      // Nothing above may end the admin's session (a walk that signs itself out proves nothing after).
      const me = await send('GET', '/api/auth/me');
      if (me.status !== 200)
        throw new Error(`${name} ended the admin's session (${me.status}): give it a seed that does not`);
    }

    // Let runs started by the walk end before the app closes.
    for (let i = 0; i < 600; i++) {
      const status = await send('GET', '/api/sync/status');
      if ((status.body as { state: string }).state === 'idle') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(requests).toBeGreaterThan(800);
    expect(findings.map((f) => `${f.status} ${f.operation} ${f.where} = ${f.value}: ${f.message}`)).toEqual([]);
  }, 600_000);

  it('answers a multipart import with a non-file field, a wrong field or no file with a 400 naming file', async () => {
    const cases: [string, () => FormData | string][] = [
      [
        'file as a text field',
        () => {
          const f = new FormData();
          f.append('file', 'not a file');
          return f;
        },
      ],
      [
        'the file under another name',
        () => {
          const f = new FormData();
          f.append('upload', new Blob(['{}']), 'x.jsonl');
          return f;
        },
      ],
      [
        'a text field beside no file',
        () => {
          const f = new FormData();
          f.append('other', 'x');
          return f;
        },
      ],
      ['an empty form', () => new FormData()],
    ];
    const findings: string[] = [];
    for (const [label, make] of cases) {
      const res = await fetch(`${t.url}/api/tickets/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}` },
        body: make(),
      });
      const text = await res.text();
      if (res.status !== 400 || !text.includes('file')) findings.push(`${label}: ${res.status} ${short(text)}`);
    }
    for (const [label, type] of [
      ['multipart without a boundary', 'multipart/form-data'],
      ['JSON instead of multipart', 'application/json'],
    ]) {
      const res = await fetch(`${t.url}/api/tickets/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': type },
        body: '{"file":"x"}',
      });
      if (res.status >= 500) findings.push(`${label}: ${res.status} ${short(await res.text())}`);
    }
    expect(findings).toEqual([]);
  });
});
