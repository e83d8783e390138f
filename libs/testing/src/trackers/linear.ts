import { ServerResponse } from 'node:http';
import { HttpReceiver, ReceivedRequest } from '../receivers/http-receiver';

/** Linear workflow state types (`state.type`). */
export type LinearStateType = 'triage' | 'backlog' | 'unstarted' | 'started' | 'completed' | 'canceled';

export interface LinearSimIssue {
  id: string;
  identifier: string;
  teamId: string;
  title: string;
  description: string | null;
  stateType: LinearStateType;
  /** When it was moved to a completed state (`completedAt`), else null. */
  completedAt: Date | null;
}

const STATE_NAMES: Record<LinearStateType, string> = {
  triage: 'Triage',
  backlog: 'Backlog',
  unstarted: 'Todo',
  started: 'In Progress',
  completed: 'Done',
  canceled: 'Canceled',
};

interface GraphqlRequest {
  query?: unknown;
  variables?: Record<string, unknown>;
  operationName?: unknown;
}

/**
 * A Linear GraphQL API simulator (https://developers.linear.app/docs/graphql/working-with-the-graphql-api) for the
 * two operations the tracker integration uses, over `POST /graphql` with `Authorization: <API key>`:
 * - `issueCreate(input: {teamId, title, description})` → `{data: {issueCreate: {success, issue: {id, identifier,
 *  url, state {name type}}}}}` (the input given as a variable, `input: $input`);
 * - `issue(id: "ENG-12")` (identifier or id, inline or a variable) → `{data: {issue: {id, identifier, url, title,
 *   completedAt, state {name type}}}}`; unknown → `{data: null, errors: [{message: 'Entity not found: Issue', extensions:
 *   {code: 'INVALID_INPUT'}}]}`.
 * A missing or wrong key → 400 with `AUTHENTICATION_ERROR`; `rateLimit()` answers 429 with `RATELIMITED` and the
 * `X-RateLimit-Requests-Reset` header (epoch ms). The simulator does not parse GraphQL: it recognises the root
 * field, reads the arguments, and answers every field the integration can select.
 */
export class LinearSimulator extends HttpReceiver {
  readonly issues = new Map<string, LinearSimIssue>();
  private nextNumber = 1;

  constructor(
    readonly options: { apiKey: string; teamId: string; teamKey: string; workspace?: string } = {
      apiKey: 'lin_api_0123456789abcdef',
      teamId: '9cfb482a-81e3-4154-b5b9-2c805e70a02d',
      teamKey: 'ENG',
    },
  ) {
    super();
  }

  /** Requests that created issues. */
  get created(): ReceivedRequest[] {
    return this.accepted.filter((r) => String((r.json as GraphqlRequest).query).includes('issueCreate'));
  }

  /** A 429 as Linear sends it when the request budget is spent. */
  rateLimit(resetInMs: number, times = 1): this {
    return this.fail(
      {
        kind: 'status',
        status: 429,
        headers: {
          'content-type': 'application/json',
          'x-ratelimit-requests-limit': '1500',
          'x-ratelimit-requests-remaining': '0',
          'x-ratelimit-requests-reset': String(Date.now() + resetInMs),
        },
        body: JSON.stringify({
          errors: [{ message: 'Rate limit exceeded', extensions: { code: 'RATELIMITED', type: 'ratelimited' } }],
        }),
      },
      times,
    );
  }

  /** Adds an issue as if someone had filed it in Linear; returns its identifier. */
  seed(title: string, stateType: LinearStateType = 'unstarted'): string {
    return this.store(title, null, stateType).identifier;
  }

  /** Moves an issue to a state of `type` ('done' is accepted for `completed`). */
  transition(identifier: string, type: LinearStateType | 'done'): void {
    const issue = this.issues.get(identifier);
    if (!issue) throw new Error(`no Linear issue ${identifier}`);
    issue.stateType = type === 'done' ? 'completed' : type;
    issue.completedAt = issue.stateType === 'completed' ? new Date() : null;
  }

  protected answer(request: ReceivedRequest, res: ServerResponse): void {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    const error = (status: number, message: string, code: string) =>
      reply(status, { errors: [{ message, extensions: { code, type: code.toLowerCase().replace(/_/g, ' ') } }] });
    if (request.method !== 'POST' || new URL(request.path, 'http://linear.local').pathname !== '/graphql')
      return error(404, 'Not found', 'NOT_FOUND');
    if (request.headers['authorization'] !== this.options.apiKey)
      return error(400, 'Authentication required, not authenticated', 'AUTHENTICATION_ERROR');
    const body = request.json as GraphqlRequest | undefined;
    if (!body || typeof body.query !== 'string') return error(400, 'Must provide query string.', 'GRAPHQL_ERROR');
    const query = body.query;
    const variables = body.variables ?? {};
    if (/\bissueCreate\s*\(/.test(query)) {
      const input = (argument(query, 'input', variables) ?? {}) as Record<string, unknown>;
      if (input['teamId'] !== this.options.teamId)
        return error(400, 'Argument Validation Error: teamId must be a valid team', 'INVALID_INPUT');
      if (typeof input['title'] !== 'string' || !input['title'].trim())
        return error(400, 'Argument Validation Error: title should not be empty', 'INVALID_INPUT');
      const description = typeof input['description'] === 'string' ? input['description'] : null;
      const issue = this.store(input['title'], description, 'triage');
      this.accepted.push(request);
      return reply(200, { data: { issueCreate: { success: true, issue: this.view(issue) } } });
    }
    if (/\bissue\s*\(/.test(query)) {
      const id = argument(query, 'id', variables);
      const issue = [...this.issues.values()].find((i) => i.identifier === id || i.id === id);
      if (!issue)
        return reply(200, {
          data: null,
          errors: [
            {
              message: 'Entity not found: Issue',
              path: ['issue'],
              extensions: {
                code: 'INVALID_INPUT',
                type: 'invalid input',
                userPresentableMessage: 'Could not find referenced Issue.',
              },
            },
          ],
        });
      this.accepted.push(request);
      return reply(200, { data: { issue: this.view(issue) } });
    }
    error(
      400,
      'Cannot query this field on type "Query" (simulator: unsupported operation).',
      'GRAPHQL_VALIDATION_FAILED',
    );
  }

  private store(title: string, description: string | null, stateType: LinearStateType): LinearSimIssue {
    const n = this.nextNumber++;
    const issue: LinearSimIssue = {
      id: `0b6c1f4e-1d2a-4c3b-9e8f-${String(n).padStart(12, '0')}`,
      identifier: `${this.options.teamKey}-${n}`,
      teamId: this.options.teamId,
      title,
      description,
      stateType,
      completedAt: stateType === 'completed' ? new Date() : null,
    };
    this.issues.set(issue.identifier, issue);
    return issue;
  }

  private view(issue: LinearSimIssue) {
    const slug = issue.title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60);
    return {
      id: issue.id,
      identifier: issue.identifier,
      title: issue.title,
      url: `https://linear.app/${this.options.workspace ?? 'pim-test'}/issue/${issue.identifier}/${slug}`,
      completedAt: issue.completedAt?.toISOString() ?? null,
      state: { name: STATE_NAMES[issue.stateType], type: issue.stateType },
    };
  }
}

/**
 * The value of argument `name` of the root field: `name: $var` (read from the variables) or an inline string
 * literal `name: "…"`.
 */
function argument(query: string, name: string, variables: Record<string, unknown>): unknown {
  const variable = new RegExp(`\\b${name}\\s*:\\s*\\$(\\w+)`).exec(query);
  if (variable) return variables[variable[1]!];
  const literal = new RegExp(`\\b${name}\\s*:\\s*"((?:[^"\\\\]|\\\\.)*)"`).exec(query);
  return literal ? JSON.parse(`"${literal[1]}"`) : undefined;
}
