import { ServerResponse } from 'node:http';
import { HttpReceiver, ReceivedRequest } from '../receivers/http-receiver';

/** Jira Cloud status categories (`fields.status.statusCategory.key`). */
export type JiraStatusCategory = 'new' | 'indeterminate' | 'done';

/** One issue as the simulator holds it. */
export interface JiraSimIssue {
  id: string;
  key: string;
  projectKey: string;
  summary: string;
  /** The Atlassian Document Format description, as received. */
  description: unknown;
  issueType: string;
  labels: string[];
  category: JiraStatusCategory;
  /** When it was last moved to a done status (Jira's `resolutiondate`), else null. */
  resolvedAt: Date | null;
}

const STATUSES: Record<
  JiraStatusCategory,
  { id: string; name: string; category: { id: number; name: string; colorName: string } }
> = {
  new: { id: '10000', name: 'To Do', category: { id: 2, name: 'To Do', colorName: 'blue-gray' } },
  indeterminate: { id: '3', name: 'In Progress', category: { id: 4, name: 'In Progress', colorName: 'yellow' } },
  done: { id: '10001', name: 'Done', category: { id: 3, name: 'Done', colorName: 'green' } },
};

/**
 * A Jira Cloud REST v3 simulator for the calls the tracker integration makes
 * (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/):
 * - `POST /rest/api/3/issue` with `{fields: {project: {key}, summary, description (ADF doc), issuetype: {name}}}`
 *   → 201 `{id, key, self}`; a missing or unknown field → 400 `{errorMessages: [], errors: {field: message}}`;
 * - `GET /rest/api/3/issue/{key}?fields=status,resolutiondate` → 200 `{id, key, self, fields: {resolutiondate, status: {…, statusCategory:
 *   {key: new|indeterminate|done}}}}`; unknown → 404 `{errorMessages: ['Issue does not exist or you do not have
 *   permission to see it.'], errors: {}}`.
 * Basic auth `email:api-token`; anything else → 401. Faults (429 with Retry-After, 5xx, hanging) through `fail` or
 * `rateLimit`; `transition(key, 'done')` moves an issue as a user would in Jira.
 */
export class JiraSimulator extends HttpReceiver {
  readonly issues = new Map<string, JiraSimIssue>();
  private base = '';
  private nextId = 10_001;

  constructor(
    readonly options: { email: string; token: string; projectKey: string; issueTypes?: string[] } = {
      email: 'pm@example.com',
      token: 'jira-api-token-0123456789',
      projectKey: 'PIM',
    },
  ) {
    super();
  }

  override async start(port = 0, host = '127.0.0.1'): Promise<string> {
    this.base = await super.start(port, host);
    return this.base;
  }

  /** Requests that created issues (their JSON bodies are the shapes the client sent). */
  get created(): ReceivedRequest[] {
    return this.accepted.filter((r) => r.method === 'POST');
  }

  /** A 429 as Jira Cloud sends it (Retry-After in seconds). */
  rateLimit(retryAfterSeconds: number, times = 1): this {
    return this.fail(
      {
        kind: 'status',
        status: 429,
        headers: { 'retry-after': String(retryAfterSeconds), 'content-type': 'application/json' },
        body: JSON.stringify({ errorMessages: ['Rate limit exceeded.'], errors: {} }),
      },
      times,
    );
  }

  /** Adds an issue as if someone had filed it in Jira; returns its key. */
  seed(summary: string, category: JiraStatusCategory = 'new'): string {
    return this.store(summary, null, 'Task', [], category).key;
  }

  /** Moves an issue to a status of `category` (a test helper: Jira's own transitions API is not simulated). */
  transition(key: string, category: JiraStatusCategory): void {
    const issue = this.issues.get(key);
    if (!issue) throw new Error(`no Jira issue ${key}`);
    issue.category = category;
    issue.resolvedAt = category === 'done' ? new Date() : null;
  }

  protected answer(request: ReceivedRequest, res: ServerResponse): void {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' });
      res.end(JSON.stringify(body));
    };
    const expected = 'Basic ' + Buffer.from(`${this.options.email}:${this.options.token}`).toString('base64');
    if (request.headers['authorization'] !== expected)
      return reply(401, { errorMessages: ['Client must be authenticated to access this resource.'], errors: {} });
    const url = new URL(request.path, 'http://jira.local');
    if (request.method === 'POST' && url.pathname === '/rest/api/3/issue') return this.create(request, reply);
    const match = /^\/rest\/api\/3\/issue\/([^/]+)$/.exec(url.pathname);
    if (request.method === 'GET' && match) {
      const issue = this.issues.get(decodeURIComponent(match[1]!));
      if (!issue)
        return reply(404, {
          errorMessages: ['Issue does not exist or you do not have permission to see it.'],
          errors: {},
        });
      this.accepted.push(request);
      return reply(200, this.view(issue));
    }
    reply(404, { errorMessages: [`No resource at ${request.method} ${url.pathname}`], errors: {} });
  }

  private create(request: ReceivedRequest, reply: (status: number, body: unknown) => void): void {
    const fields = (request.json as { fields?: Record<string, unknown> } | undefined)?.fields;
    if (!fields || typeof fields !== 'object')
      return reply(400, { errorMessages: ['Issue must be created with fields.'], errors: {} });
    const errors: Record<string, string> = {};
    const project = fields['project'] as { key?: unknown } | undefined;
    if (project?.key !== this.options.projectKey) errors['project'] = 'valid project is required';
    const summary = fields['summary'];
    if (typeof summary !== 'string' || !summary.trim()) errors['summary'] = 'You must specify a summary of the issue.';
    else if (summary.length > 255) errors['summary'] = 'Summary must be less than 255 characters.';
    else if (/[\r\n]/.test(summary))
      errors['summary'] = 'The summary is invalid because it contains newline characters.';
    const type = (fields['issuetype'] as { name?: unknown } | undefined)?.name;
    const types = this.options.issueTypes ?? ['Task', 'Bug', 'Story'];
    if (typeof type !== 'string' || !types.includes(type)) errors['issuetype'] = 'Specify a valid issue type';
    const description = fields['description'];
    if (description !== undefined && !validAdf(description))
      errors['description'] = 'Operation value must be an Atlassian Document.';
    const labels = fields['labels'] ?? [];
    if (!Array.isArray(labels) || labels.some((l) => typeof l !== 'string' || /\s/.test(l)))
      errors['labels'] = 'Labels must be strings without spaces.';
    if (Object.keys(errors).length) return reply(400, { errorMessages: [], errors });
    const issue = this.store(summary as string, description, type as string, labels as string[], 'new');
    this.accepted.push(request);
    reply(201, { id: issue.id, key: issue.key, self: `${this.base}/rest/api/3/issue/${issue.id}` });
  }

  private store(
    summary: string,
    description: unknown,
    issueType: string,
    labels: string[],
    category: JiraStatusCategory,
  ): JiraSimIssue {
    const id = String(this.nextId++);
    const key = `${this.options.projectKey}-${this.issues.size + 1}`;
    const resolvedAt = category === 'done' ? new Date() : null;
    const issue = {
      id,
      key,
      projectKey: this.options.projectKey,
      summary,
      description,
      issueType,
      labels,
      category,
      resolvedAt,
    };
    this.issues.set(key, issue);
    return issue;
  }

  private view(issue: JiraSimIssue) {
    const status = STATUSES[issue.category];
    return {
      expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
      id: issue.id,
      self: `${this.base}/rest/api/3/issue/${issue.id}`,
      key: issue.key,
      fields: {
        // Jira's format: 2026-12-07T13:02:11.000+0000
        resolutiondate: issue.resolvedAt ? issue.resolvedAt.toISOString().replace('Z', '+0000') : null,
        status: {
          self: `${this.base}/rest/api/3/status/${status.id}`,
          description: '',
          name: status.name,
          id: status.id,
          statusCategory: {
            self: `${this.base}/rest/api/3/statuscategory/${status.category.id}`,
            id: status.category.id,
            key: issue.category,
            colorName: status.category.colorName,
            name: status.category.name,
          },
        },
      },
    };
  }
}

/** An Atlassian Document Format document: `{type: 'doc', version: 1, content: [nodes with a type]}`. */
export function validAdf(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  const doc = value as { type?: unknown; version?: unknown; content?: unknown };
  if (doc.type !== 'doc' || doc.version !== 1 || !Array.isArray(doc.content)) return false;
  const node = (n: unknown): boolean => {
    if (!n || typeof n !== 'object') return false;
    const { type, content, text } = n as { type?: unknown; content?: unknown; text?: unknown };
    if (typeof type !== 'string') return false;
    if (type === 'text') return typeof text === 'string' && text.length > 0;
    return content === undefined || (Array.isArray(content) && content.every(node));
  };
  return doc.content.every(node);
}

/** All the text of an ADF document, one line per block (for assertions). */
export function adfText(value: unknown): string {
  const walk = (n: unknown): string => {
    if (!n || typeof n !== 'object') return '';
    const { type, content, text } = n as { type?: string; content?: unknown[]; text?: string };
    if (type === 'text') return text ?? '';
    const inline = type === 'paragraph' || type === 'heading';
    return (content ?? []).map(walk).join(inline ? '' : '\n');
  };
  return walk(value);
}
