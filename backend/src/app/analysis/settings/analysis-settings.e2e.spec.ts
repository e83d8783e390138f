import { AnthropicStub, ANTHROPIC_STUB_API_KEY, DEFAULT_ANTHROPIC_STUB_MODELS } from '@pim/testing';
import { Client } from 'pg';
import { api, login, signInNewUser, startTestApp, startWithClaudeStub, TestApp } from '../../../testing/test-app';
import { importFile, waitForRun } from '../../../testing/runs';
import { TOOL_NAME } from '../claude/tool-schema';

const importTickets = (t: TestApp, token: string, lines: object[]) =>
  importFile(t, token, lines.map((l) => JSON.stringify(l)).join('\n'));

describe('analysis settings without an API key (local analyzer)', () => {
  let t: TestApp;
  let admin: string;
  let editor: string;
  let viewer: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { ANALYSIS_MODE: 'realtime', ANALYSIS_MODEL: 'claude-haiku-4-5' } });
    admin = await login(t.url);
    editor = await signInNewUser(t.url, admin, 'editor', 'password-123');
    viewer = await signInNewUser(t.url, admin, 'viewer', 'password-123');
  });
  afterAll(async () => {
    await t?.close();
  });

  const put = (body: unknown) => api(t.url, 'PUT', '/api/settings/analysis', { token: admin, body });
  /** An admin's change of the settings: answered 200 with settings that include `expected`. */
  const expectChanged = async (body: object, expected: object) => {
    const res = await put(body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject(expected);
  };

  it('serves the environment defaults to every role, never the key', async () => {
    const res = await api(t.url, 'GET', '/api/settings/analysis', { token: viewer });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      analyzer: 'local',
      apiKeyConfigured: false,
      mode: 'realtime',
      modeSource: 'env',
      model: 'claude-haiku-4-5',
      modelSource: 'env',
      batchMinimum: 100,
      redaction: true,
      knownModels: expect.arrayContaining(['claude-sonnet-4', 'claude-haiku-4-5', 'claude-opus-4-5']),
    });
    expect((await api(t.url, 'GET', '/api/settings/analysis')).status).toBe(401);
  });

  it('lets only admins change it', async () => {
    for (const token of [viewer, editor]) {
      const res = await api(t.url, 'PUT', '/api/settings/analysis', { token, body: { mode: 'batch' } });
      expect(res.status).toBe(403);
    }
    expect((await api(t.url, 'GET', '/api/settings/analysis', { token: admin })).body.mode).toBe('realtime');
  });

  it('answers 400 naming the field for a bad mode, model or unknown field', async () => {
    let res = await put({ mode: 'sometimes' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.message)).toMatch(/mode must be one of the following values: realtime, batch, auto/);

    for (const model of ['gpt-4o', 'claude-Sonnet 4', `claude-${'x'.repeat(100)}`, 42]) {
      res = await put({ model });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toMatch(/model must/);
    }

    res = await put({ mode: 'batch', apiKey: 'sk-nope' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.message)).toMatch(/property apiKey should not exist/);

    res = await put({});
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.message)).toMatch(/mode or model must be given/);

    expect((await api(t.url, 'GET', '/api/settings/analysis', { token: admin })).body).toMatchObject({
      mode: 'realtime',
      model: 'claude-haiku-4-5',
    });
  });

  it('persists an admin change, returns it to everyone and audits it with before and after', async () => {
    await expectChanged(
      { mode: 'batch' },
      { mode: 'batch', modeSource: 'settings', model: 'claude-haiku-4-5', modelSource: 'env' },
    );
    // The mode set before is kept.
    await expectChanged(
      { model: 'claude-opus-4-5' },
      { mode: 'batch', model: 'claude-opus-4-5', modelSource: 'settings' },
    );

    const res = await api(t.url, 'GET', '/api/settings/analysis', { token: viewer });
    expect(res.body).toMatchObject({ mode: 'batch', model: 'claude-opus-4-5', modelSource: 'settings' });

    const db = new Client({ connectionString: t.database!.url });
    await db.connect();
    try {
      const { rows } = await db.query(`SELECT value, updated_by FROM app_setting WHERE key = 'analysis'`);
      expect(rows[0].value).toEqual({ mode: 'batch', model: 'claude-opus-4-5' });
      expect(rows[0].updated_by).toBeTruthy();
    } finally {
      await db.end();
    }

    const audit = await api(t.url, 'GET', '/api/audit?entityType=settings', { token: admin });
    expect(audit.status).toBe(200);
    expect(audit.body.items).toHaveLength(2);
    expect(audit.body.items[0]).toMatchObject({
      action: 'settings.analysis.update',
      entityId: 'analysis',
      actorEmail: 'admin@test.local',
      before: { mode: 'batch', model: 'claude-haiku-4-5' },
      after: { mode: 'batch', model: 'claude-opus-4-5' },
    });
    expect(audit.body.items[1]).toMatchObject({
      before: { mode: 'realtime', model: 'claude-haiku-4-5' },
      after: { mode: 'batch', model: 'claude-haiku-4-5' },
    });
  });
  it('goes back to the environment defaults when an admin sends null (audited)', async () => {
    await expectChanged(
      { mode: null, model: null },
      { mode: 'realtime', modeSource: 'env', model: 'claude-haiku-4-5', modelSource: 'env' },
    );
    const audit = await api(t.url, 'GET', '/api/audit?entityType=settings', { token: admin });
    expect(audit.body.items[0]).toMatchObject({
      before: { mode: 'batch', model: 'claude-opus-4-5' },
      after: { mode: 'realtime', model: 'claude-haiku-4-5' },
    });
    expect((await put({ mode: 'sometimes' })).status).toBe(400);
  });
});

describe('analysis settings with Claude (Anthropic stub)', () => {
  const stub = new AnthropicStub();
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startWithClaudeStub(stub, { ANALYSIS_MODEL: 'claude-sonnet-4-6', ANALYSIS_MODE: 'realtime' });
    admin = await login(t.url);
  });
  afterAll(async () => {
    await t?.close();
    await stub.stop();
  });

  /** The models of the analysis calls since `from` (clustering may call the API too, with its own tool). */
  const models = (from: number) =>
    stub.requests
      .slice(from)
      .map((r) => ({ r, body: r.body as { model: string; tool_choice?: { name?: string } } }))
      .filter(({ r, body }) => r.method === 'POST' && r.path === '/v1/messages' && body.tool_choice?.name === TOOL_NAME)
      .map(({ body }) => body.model);

  it('reports the claude analyzer without revealing the key', async () => {
    const res = await api(t.url, 'GET', '/api/settings/analysis', { token: admin });
    expect(res.body).toMatchObject({ analyzer: 'claude', apiKeyConfigured: true, model: 'claude-sonnet-4-6' });
    expect(JSON.stringify(res.body)).not.toContain(ANTHROPIC_STUB_API_KEY);
  });

  it('offers the models the API lists, and refuses one it does not offer', async () => {
    const res = await api(t.url, 'GET', '/api/settings/analysis', { token: admin });
    expect(res.body.knownModels).toEqual(
      [...DEFAULT_ANTHROPIC_STUB_MODELS]
        .sort((a, b) => (b.created_at ?? '').localeCompare(a.created_at ?? ''))
        .map((m) => m.id),
    );
    const bad = await api(t.url, 'PUT', '/api/settings/analysis', { token: admin, body: { model: 'claude-nope-9' } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toEqual(['model "claude-nope-9" is not a model the Anthropic API offers this key']);
    expect((await api(t.url, 'GET', '/api/settings/analysis', { token: admin })).body.model).toBe('claude-sonnet-4-6');
  });

  it('uses the model an admin sets from the next run on', async () => {
    let from = stub.requests.length;
    let run = await waitForRun(
      t,
      admin,
      await importTickets(t, admin, [{ id: 101, subject: 'Export fails', body: 'The CSV export times out.' }]),
    );
    expect(run.status).toBe('succeeded');
    expect(models(from)).toEqual(['claude-sonnet-4-6']);

    const res = await api(t.url, 'PUT', '/api/settings/analysis', {
      token: admin,
      body: { model: 'claude-haiku-4-5' },
    });
    expect(res.status).toBe(200);

    from = stub.requests.length;
    run = await waitForRun(
      t,
      admin,
      await importTickets(t, admin, [{ id: 102, subject: 'Login loop', body: 'I cannot sign in on Android.' }]),
    );
    expect(run.status).toBe('succeeded');
    // The new model is checked once, then used for the run's calls.
    expect(stub.requests.slice(from).some((r) => r.path === '/v1/models/claude-haiku-4-5')).toBe(true);
    expect(models(from)).toEqual(['claude-haiku-4-5']);
  });
});
