import { adfText, JiraSimulator } from './jira';
import { LinearSimulator } from './linear';

const json = async (res: Response) => ({ status: res.status, body: (await res.json()) as any });

describe('JiraSimulator (REST v3)', () => {
  const sim = new JiraSimulator({ email: 'a@b.test', token: 'tok', projectKey: 'PIM' });
  let base: string;
  const auth = 'Basic ' + Buffer.from('a@b.test:tok').toString('base64');
  const call = (method: string, path: string, body?: unknown, authorization = auth) =>
    fetch(base + path, {
      method,
      headers: { authorization, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(json);
  const doc = { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Hi' }] }] };

  beforeAll(async () => (base = await sim.start()));
  afterAll(() => sim.stop());

  it('creates an issue (201 {id, key, self}) and reads its status category back', async () => {
    const fields = { project: { key: 'PIM' }, summary: 'Export fails', issuetype: { name: 'Task' }, description: doc };
    const created = await call('POST', '/rest/api/3/issue', { fields });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      key: 'PIM-1',
      self: `${base}/rest/api/3/issue/${created.body.id}`,
    });
    expect(adfText(sim.issues.get('PIM-1')!.description)).toBe('Hi');
    const read = await call('GET', '/rest/api/3/issue/PIM-1?fields=status');
    expect(read.body.fields.status.statusCategory.key).toBe('new');
    expect(read.body.fields.resolutiondate).toBeNull();
    sim.transition('PIM-1', 'done');
    const done = await call('GET', '/rest/api/3/issue/PIM-1?fields=status');
    expect(done.body.fields.status).toMatchObject({ name: 'Done', statusCategory: { key: 'done' } });
    expect(done.body.fields.resolutiondate).toMatch(/^\d{4}-\d\d-\d\dT.*\+0000$/);
  });

  it('answers {errorMessages, errors}: 400 per field, 401 without valid basic auth, 404 for an unknown key', async () => {
    const bad = await call('POST', '/rest/api/3/issue', {
      fields: { project: { key: 'NOPE' }, summary: '', issuetype: { name: 'Epic' }, description: 'plain text' },
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.errors).sort()).toEqual(['description', 'issuetype', 'project', 'summary']);
    expect(bad.body.errorMessages).toEqual([]);
    const denied = await call('GET', '/rest/api/3/issue/PIM-1', undefined, 'Basic eDp5');
    expect(denied.status).toBe(401);
    expect(denied.body.errorMessages).toHaveLength(1);
    const missing = await call('GET', '/rest/api/3/issue/PIM-404');
    expect(missing).toEqual({
      status: 404,
      body: { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} },
    });
  });

  it('rate limits with 429 and Retry-After', async () => {
    sim.rateLimit(3);
    const res = await fetch(base + '/rest/api/3/issue/PIM-1', { headers: { authorization: auth } });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
  });
});

describe('LinearSimulator (GraphQL)', () => {
  const sim = new LinearSimulator({ apiKey: 'lin_key', teamId: 'team-1', teamKey: 'ENG' });
  let url: string;
  const gql = (query: string, variables: Record<string, unknown> = {}, authorization = 'lin_key') =>
    fetch(url, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    }).then(json);
  const CREATE =
    'mutation IssueCreate($input: IssueCreateInput!) { issueCreate(input: $input) { success issue { id identifier url state { name type } } } }';

  beforeAll(async () => (url = (await sim.start()) + '/graphql'));
  afterAll(() => sim.stop());

  it('creates with issueCreate and reads with issue(id:) by identifier, inline or as a variable', async () => {
    const created = await gql(CREATE, { input: { teamId: 'team-1', title: 'Export fails', description: '> quote' } });
    expect(created.status).toBe(200);
    expect(created.body.data.issueCreate).toMatchObject({
      success: true,
      issue: {
        identifier: 'ENG-1',
        state: { type: 'triage' },
        url: expect.stringContaining('/issue/ENG-1/export-fails'),
      },
    });
    const inline = await gql('{ issue(id: "ENG-1") { identifier state { name type } } }');
    expect(inline.body.data.issue.state).toEqual({ name: 'Triage', type: 'triage' });
    sim.transition('ENG-1', 'done');
    const read = await gql('query Issue($id: String!) { issue(id: $id) { identifier completedAt state { type } } }', {
      id: 'ENG-1',
    });
    expect(read.body.data.issue).toMatchObject({ state: { type: 'completed' }, completedAt: expect.any(String) });
  });

  it('answers errors with extensions.code: authentication, unknown entity, bad input, rate limit', async () => {
    const denied = await gql('{ issue(id: "ENG-1") { id } }', {}, 'wrong');
    expect(denied.body.errors[0].extensions.code).toBe('AUTHENTICATION_ERROR');
    const missing = await gql('{ issue(id: "ENG-99") { id } }');
    expect(missing.body).toMatchObject({ data: null, errors: [{ message: 'Entity not found: Issue' }] });
    const bad = await gql(CREATE, { input: { teamId: 'other', title: 'x' } });
    expect(bad.body.errors[0].extensions.code).toBe('INVALID_INPUT');
    sim.rateLimit(1000);
    const limited = await gql('{ issue(id: "ENG-1") { id } }');
    expect(limited.status).toBe(429);
    expect(limited.body.errors[0].extensions.code).toBe('RATELIMITED');
  });
});
