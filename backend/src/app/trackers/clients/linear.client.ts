import { IssueDraft, StatusCategory, TrackerIssue } from '../tracker.types';
import { HttpTrackerClient, TrackerError, TrackerResponse } from './tracker-http';

export interface LinearOptions {
  apiUrl: string;
  apiKey: string;
  teamId: string;
}

const CATEGORY: Record<string, StatusCategory> = {
  triage: 'todo',
  backlog: 'todo',
  unstarted: 'todo',
  started: 'in_progress',
  completed: 'done',
  canceled: 'canceled',
};

const ISSUE_FIELDS = 'id identifier url completedAt state { name type }';
const CREATE = `mutation IssueCreate($input: IssueCreateInput!) {
  issueCreate(input: $input) { success issue { ${ISSUE_FIELDS} } }
}`;
const READ = `query Issue($id: String!) { issue(id: $id) { ${ISSUE_FIELDS} } }`;

interface LinearIssueView {
  identifier: string;
  url: string;
  completedAt?: string | null;
  state?: { name?: string; type?: string };
}
interface GraphqlError {
  message?: string;
  extensions?: { code?: string; userPresentableMessage?: string };
}

/** Linear's GraphQL API (the only code that speaks Linear): `issueCreate` and `issue(id:)`; the key as Authorization. */
export class LinearClient extends HttpTrackerClient<LinearOptions> {
  readonly provider = 'linear' as const;

  async create(draft: IssueDraft): Promise<TrackerIssue> {
    const input = { teamId: this.options.teamId, title: draft.title.slice(0, 250), description: markdownOf(draft) };
    const res = await this.call(CREATE, { input });
    const data = (res.body as { data?: { issueCreate?: { success?: boolean; issue?: LinearIssueView } } })?.data;
    const issue = data?.issueCreate?.issue;
    if (res.status !== 200 || !data?.issueCreate?.success || !issue) throw this.failure(res);
    return this.view(issue);
  }

  async read(key: string): Promise<TrackerIssue | null> {
    const res = await this.call(READ, { id: key });
    const body = res.body as { data?: { issue?: LinearIssueView | null } | null; errors?: GraphqlError[] } | null;
    const issue = body?.data?.issue;
    if (res.status === 200 && issue) return this.view(issue);
    if (body?.errors?.some((e) => /not found/i.test(e.message ?? ''))) return null;
    throw this.failure(res);
  }

  private view(issue: LinearIssueView): TrackerIssue {
    return {
      key: issue.identifier,
      url: issue.url,
      status: issue.state?.name ?? 'Unknown',
      category: CATEGORY[issue.state?.type ?? ''] ?? 'todo',
      doneAt: issue.completedAt ? new Date(issue.completedAt) : null,
    };
  }

  private call(query: string, variables: Record<string, unknown>): Promise<TrackerResponse> {
    return this.request(this.options.apiUrl, 'POST', { authorization: this.options.apiKey }, { query, variables });
  }

  private failure(res: TrackerResponse): TrackerError {
    const errors = (res.body as { errors?: GraphqlError[] } | null)?.errors ?? [];
    if (res.status === 401 || errors.some((e) => e.extensions?.code === 'AUTHENTICATION_ERROR'))
      return new TrackerError('linear', 'authentication failed: check LINEAR_API_KEY', 401);
    const detail = errors.map((e) => e.extensions?.userPresentableMessage ?? e.message).join('; ');
    return new TrackerError('linear', `HTTP ${res.status}${detail ? `: ${detail}` : ''}`, res.status);
  }
}

/** The draft as Markdown (Linear's description format). */
export function markdownOf(draft: IssueDraft): string {
  const parts = [...draft.intro.filter(Boolean)];
  if (draft.quotes.length)
    parts.push(
      '### What customers say',
      ...draft.quotes.map((q) =>
        q
          .split('\n')
          .map((l) => `> ${l}`)
          .join('\n'),
      ),
    );
  if (draft.links.length) parts.push('### Links', draft.links.map((l) => `- [${l.label}](${l.url})`).join('\n'));
  return parts.join('\n\n');
}
