import { IssueDraft, StatusCategory, TrackerIssue } from '../tracker.types';
import { HttpTrackerClient, TrackerError, TrackerResponse } from './tracker-http';

export interface JiraOptions {
  baseUrl: string;
  email: string;
  apiToken: string;
  projectKey: string;
}

const CATEGORY: Record<string, StatusCategory> = { new: 'todo', indeterminate: 'in_progress', done: 'done' };

interface JiraIssueView {
  key: string;
  fields?: { resolutiondate?: string | null; status?: { name?: string; statusCategory?: { key?: string } } };
}

/**
 * Jira Cloud REST v3 (the only code that speaks Jira): `POST /rest/api/3/issue` with an Atlassian Document Format
 * description, `GET /rest/api/3/issue/{key}?fields=status,resolutiondate`. Basic auth with the e-mail and API token.
 */
export class JiraClient extends HttpTrackerClient<JiraOptions> {
  readonly provider = 'jira' as const;

  async create(draft: IssueDraft): Promise<TrackerIssue> {
    const body = {
      fields: {
        project: { key: this.options.projectKey },
        issuetype: { name: 'Task' },
        summary: draft.title.replace(/\s+/g, ' ').trim().slice(0, 250),
        labels: ['product-issue-miner'],
        description: adfOf(draft),
      },
    };
    const res = await this.call('POST', '/rest/api/3/issue', body);
    if (res.status !== 201) throw this.failure(res);
    const { key } = res.body as { key: string };
    return { key, url: this.browseUrl(key), status: 'To Do', category: 'todo' };
  }

  async read(key: string): Promise<TrackerIssue | null> {
    const res = await this.call('GET', `/rest/api/3/issue/${encodeURIComponent(key)}?fields=status,resolutiondate`);
    if (res.status === 404) return null;
    if (res.status !== 200) throw this.failure(res);
    const view = res.body as JiraIssueView;
    const status = view.fields?.status;
    return {
      key: view.key,
      url: this.browseUrl(view.key),
      status: status?.name ?? 'Unknown',
      category: CATEGORY[status?.statusCategory?.key ?? ''] ?? 'todo',
      doneAt: view.fields?.resolutiondate ? new Date(view.fields.resolutiondate) : null,
    };
  }

  private browseUrl(key: string): string {
    return `${this.options.baseUrl}/browse/${encodeURIComponent(key)}`;
  }

  private call(method: string, path: string, body?: unknown): Promise<TrackerResponse> {
    const basic = Buffer.from(`${this.options.email}:${this.options.apiToken}`).toString('base64');
    return this.request(this.options.baseUrl + path, method, { authorization: `Basic ${basic}` }, body);
  }

  /** `{errorMessages, errors}` made one line; 401/403 say what to check. */
  private failure(res: TrackerResponse): TrackerError {
    if (res.status === 401 || res.status === 403)
      return new TrackerError(
        'jira',
        `authentication failed (HTTP ${res.status}): check JIRA_EMAIL and JIRA_API_TOKEN`,
        res.status,
      );
    const body = res.body as { errorMessages?: string[]; errors?: Record<string, string> } | null;
    const parts = [
      ...(body?.errorMessages ?? []),
      ...Object.entries(body?.errors ?? {}).map(([field, message]) => `${field}: ${message}`),
    ];
    const detail = parts.length ? parts.join('; ') : typeof res.body === 'string' ? res.body.slice(0, 200) : '';
    return new TrackerError('jira', `HTTP ${res.status}${detail ? `: ${detail}` : ''}`, res.status);
  }
}

const text = (value: string) => ({ type: 'text', text: value });
const paragraph = (...content: object[]) => ({ type: 'paragraph', content });

/** The draft as an ADF document: paragraphs, a quote block per customer quote, a bullet list of links. */
export function adfOf(draft: IssueDraft): object {
  const content: object[] = draft.intro.filter(Boolean).map((p) => paragraph(text(p)));
  if (draft.quotes.length) {
    content.push({ type: 'heading', attrs: { level: 3 }, content: [text('What customers say')] });
    for (const quote of draft.quotes) content.push({ type: 'blockquote', content: [paragraph(text(quote))] });
  }
  if (draft.links.length) {
    content.push({ type: 'heading', attrs: { level: 3 }, content: [text('Links')] });
    content.push({
      type: 'bulletList',
      content: draft.links.map((l) => ({
        type: 'listItem',
        content: [paragraph({ type: 'text', text: l.label, marks: [{ type: 'link', attrs: { href: l.url } }] })],
      })),
    });
  }
  return { type: 'doc', version: 1, content };
}
