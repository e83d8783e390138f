/**
 * Writes a generated dataset as files: the bundled demo dataset, import tests and the offline
 * `mine` CLI read these formats.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { TicketThread, ZendeskDataset } from './dataset';

export type DatasetExportFormat =
  /** One ticket a line in the `mine` CLI input shape: {id, subject, body, comments[], created_at, organization, ...}. */
  | 'jsonl'
  /** One Zendesk ticket object a line with its `comments` embedded (like Zendesk's JSON export). */
  | 'zendesk-ndjson'
  /** One JSON document {tickets: [ticket + comments], users, organizations, count}. */
  | 'zendesk-json'
  /** Ground truth, one line a ticket: {id, plantedProblem, noiseKind, alsoMentions, hasPii, pii[]}. */
  | 'labels-jsonl';

export interface DatasetExportOptions {
  format?: DatasetExportFormat;
  /** Deleted tickets are left out unless this is true. */
  includeDeleted?: boolean;
  /** 'jsonl' only: add a `label` field with the planted problem (for benchmarks). Default false. */
  includeLabels?: boolean;
}

export interface DatasetExportResult {
  tickets: number;
  comments: number;
  bytes: number;
}

/** One line of the 'jsonl' format (the `mine` CLI's input). */
export interface MineInputLine {
  id: number;
  subject: string;
  body: string;
  comments: Array<{ id: number; body: string; public: boolean; author: string; author_role: string; created_at: string }>;
  created_at: string;
  updated_at: string;
  status: string;
  priority: string | null;
  tags: string[];
  organization: string | null;
  organization_id: number | null;
  requester: string | null;
  brand_id: number;
  label?: { plantedProblem: string | null; noiseKind: string | null; alsoMentions: string[] };
}

type Sink = Writable | ((chunk: string) => void | Promise<void>);

/** Renders one ticket as a 'jsonl' line object. */
export function toMineInput(ds: ZendeskDataset, thread: TicketThread, includeLabels = false): MineInputLine {
  const t = thread.ticket;
  const org = t.organization_id !== null ? ds.getOrganization(t.organization_id) : null;
  const requester = ds.getUser(t.requester_id);
  const users = new Map<number, { name: string; role: string }>();
  const author = (id: number): { name: string; role: string } => {
    let u = users.get(id);
    if (!u) {
      const user = ds.getUser(id);
      u = { name: user?.name ?? String(id), role: user?.role ?? 'end-user' };
      users.set(id, u);
    }
    return u;
  };
  const line: MineInputLine = {
    id: t.id,
    subject: t.subject,
    body: thread.comments[0]?.body ?? t.description,
    comments: thread.comments.slice(1).map((c) => {
      const a = author(c.author_id);
      return { id: c.id, body: c.body, public: c.public, author: a.name, author_role: a.role, created_at: c.created_at };
    }),
    created_at: t.created_at,
    updated_at: t.updated_at,
    status: t.status,
    priority: t.priority,
    tags: t.tags,
    organization: org?.name ?? null,
    organization_id: t.organization_id,
    requester: requester?.name ?? null,
    brand_id: t.brand_id,
  };
  if (includeLabels) {
    const l = ds.labelOf(t.id);
    line.label = { plantedProblem: l?.plantedProblem ?? null, noiseKind: l?.noiseKind ?? null, alsoMentions: l?.alsoMentions ?? [] };
  }
  return line;
}

function apiComments(thread: TicketThread): unknown[] {
  return thread.comments.map((c) => {
    const { role: _role, ...rest } = c;
    void _role;
    return rest;
  });
}

/** Streams the dataset to a writable stream or a callback, honouring back-pressure. */
export async function exportDataset(ds: ZendeskDataset, sink: Sink, options: DatasetExportOptions = {}): Promise<DatasetExportResult> {
  const format = options.format ?? 'jsonl';
  const result: DatasetExportResult = { tickets: 0, comments: 0, bytes: 0 };
  const write = async (chunk: string): Promise<void> => {
    result.bytes += Buffer.byteLength(chunk);
    if (typeof sink === 'function') {
      await sink(chunk);
      return;
    }
    if (!sink.write(chunk)) await once(sink, 'drain');
  };

  if (format === 'zendesk-json') await write('{"tickets":[');
  let first = true;
  for (const thread of ds.iterateThreads({ includeDeleted: options.includeDeleted ?? false })) {
    result.tickets++;
    result.comments += thread.comments.length;
    let text: string;
    switch (format) {
      case 'jsonl':
        text = JSON.stringify(toMineInput(ds, thread, options.includeLabels ?? false)) + '\n';
        break;
      case 'zendesk-ndjson':
        text = JSON.stringify({ ...thread.ticket, comments: apiComments(thread) }) + '\n';
        break;
      case 'zendesk-json':
        text = (first ? '' : ',') + JSON.stringify({ ...thread.ticket, comments: apiComments(thread) });
        break;
      case 'labels-jsonl': {
        const l = ds.labelOf(thread.ticket.id);
        text = JSON.stringify({ id: thread.ticket.id, ...l, pii: thread.pii.map((p) => ({ commentId: p.commentId, kind: p.kind, value: p.value })) }) + '\n';
        break;
      }
    }
    first = false;
    await write(text);
  }
  if (format === 'zendesk-json') {
    await write(`],"users":${JSON.stringify(ds.users())},"organizations":${JSON.stringify(ds.organizations())},"count":${result.tickets}}`);
  }
  return result;
}

/** Writes the dataset to a file. */
export async function exportDatasetToFile(ds: ZendeskDataset, file: string, options: DatasetExportOptions = {}): Promise<DatasetExportResult> {
  const stream = createWriteStream(file, { encoding: 'utf8' });
  try {
    const result = await exportDataset(ds, stream, options);
    stream.end();
    await once(stream, 'finish');
    return result;
  } catch (err) {
    stream.destroy();
    throw err;
  }
}

/** The whole export as one string (small datasets). */
export async function exportDatasetToString(ds: ZendeskDataset, options: DatasetExportOptions = {}): Promise<string> {
  const parts: string[] = [];
  await exportDataset(ds, (chunk) => {
    parts.push(chunk);
  }, options);
  return parts.join('');
}
