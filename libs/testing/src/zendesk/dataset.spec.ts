import { PLANTED_PROBLEMS } from './catalog';
import { VirtualClock } from './clock';
import { ZendeskDataset } from './dataset';
import { luhnValid } from './text';

const END = Date.UTC(2025, 5, 2, 12, 0, 0);
const DAY = 86_400;

describe('ZendeskDataset generation', () => {
  const ds = new ZendeskDataset({ tickets: 1500, seed: 11, endTime: END });

  it('is deterministic: same seed and end time give the same data; another seed differs', () => {
    const a = new ZendeskDataset({ tickets: 200, seed: 5, endTime: END });
    const b = new ZendeskDataset({ tickets: 200, seed: 5, endTime: END });
    const c = new ZendeskDataset({ tickets: 200, seed: 6, endTime: END });
    expect(a.fingerprint()).toEqual(b.fingerprint());
    expect(a.fingerprint()).not.toEqual(c.fingerprint());
    expect(a.getTicket(1050)).toEqual(b.getTicket(1050));
    expect(a.getComments(1050)).toEqual(b.getComments(1050));
  });

  it('ids ascend with creation time and span the configured history', () => {
    const ids = ds.ticketIds();
    expect(ids).toHaveLength(1500);
    expect(ids[0]).toBe(1001);
    let prev = 0;
    for (const l of ds.labels()) {
      expect(l.createdAt).toBeGreaterThanOrEqual(prev);
      prev = l.createdAt;
    }
    const end = Math.floor(END / 1000);
    const first = ds.labelOf(1001)?.createdAt ?? 0;
    expect(end - first).toBeGreaterThan(100 * DAY);
    expect(end - first).toBeLessThanOrEqual(120 * DAY);
    expect(prev).toBeLessThanOrEqual(end);
  });

  it('plants every problem, with spike problems only in their recent window', () => {
    const labels = ds.labels();
    for (const p of PLANTED_PROBLEMS) {
      const mine = labels.filter((l) => l.plantedProblem === p.id);
      expect(mine.length).toBeGreaterThanOrEqual(15);
      if (p.timeline.kind === 'spike') {
        const oldest = Math.min(...mine.map((l) => l.createdAt));
        expect(Math.floor(END / 1000) - oldest).toBeLessThanOrEqual(p.timeline.days * DAY + DAY);
      }
    }
    const noise = labels.filter((l) => l.plantedProblem === null);
    expect(noise.length / labels.length).toBeGreaterThan(0.35);
    expect(noise.every((l) => l.noiseKind !== null)).toBe(true);
  });

  it('words the same problem in many different ways', () => {
    const subjects = new Set<string>();
    const descriptions = new Set<string>();
    const ids = ds.labels().filter((l) => l.plantedProblem === 'csv-export-timeout').map((l) => l.ticketId);
    for (const id of ids) {
      const t = ds.getTicket(id);
      subjects.add(t?.subject.toLowerCase() ?? '');
      descriptions.add(t?.description ?? '');
    }
    expect(subjects.size).toBeGreaterThanOrEqual(6);
    expect(descriptions.size).toBeGreaterThanOrEqual(Math.floor(ids.length * 0.9));
  });

  it('builds threads: 1-8 generated comments, ascending, first is the description, internal notes are private', () => {
    let internal = 0;
    let agentReplies = 0;
    for (const id of ds.ticketIds().slice(0, 400)) {
      const t = ds.getTicket(id);
      const comments = ds.getComments(id);
      expect(comments.length).toBeGreaterThanOrEqual(1);
      expect(comments.length).toBeLessThanOrEqual(8);
      expect(comments[0]?.body).toBe(t?.description);
      expect(comments[0]?.author_id).toBe(t?.requester_id);
      for (let i = 1; i < comments.length; i++) {
        expect(Date.parse(comments[i]?.created_at ?? '')).toBeGreaterThanOrEqual(Date.parse(comments[i - 1]?.created_at ?? ''));
      }
      for (const c of comments) {
        expect(c.type).toBe('Comment');
        expect(c.plain_body).toBe(c.body);
        expect(c.html_body.startsWith('<div class="zd-comment"')).toBe(true);
        expect(c.metadata.system.ip_address).toBeTruthy();
        if (c.role === 'internal') {
          internal++;
          expect(c.public).toBe(false);
        }
        if (c.role === 'agent') agentReplies++;
      }
      expect(Date.parse(t?.updated_at ?? '')).toBeGreaterThanOrEqual(Date.parse(comments[comments.length - 1]?.created_at ?? ''));
      expect(t?.generated_timestamp).toBeGreaterThanOrEqual(Date.parse(t?.updated_at ?? '') / 1000);
    }
    expect(internal).toBeGreaterThan(20);
    expect(agentReplies).toBeGreaterThan(200);
  });

  it('fills the ticket fields the product keeps', () => {
    const t = ds.getTicket(1200);
    expect(t).toMatchObject({ id: 1200, via: { channel: expect.any(String) } });
    for (const key of ['subject', 'description', 'status', 'priority', 'type', 'tags', 'requester_id', 'submitter_id', 'assignee_id', 'organization_id', 'group_id', 'brand_id', 'custom_fields', 'satisfaction_rating', 'created_at', 'updated_at', 'generated_timestamp']) {
      expect(t).toHaveProperty(key);
    }
    const brands = new Set(ds.ticketIds().map((id) => ds.getTicket(id)?.brand_id));
    expect(brands.size).toBe(2);
    expect(ds.organizationCount).toBe(60);
    expect(ds.agentUsers().filter((u) => u.role === 'admin')).toHaveLength(2);
  });

  it('includes some deleted tickets', () => {
    const deleted = ds.deletedTicketIds();
    expect(deleted.length).toBeGreaterThan(3);
    expect(ds.getTicket(deleted[0] as number)?.status).toBe('deleted');
    expect(ds.labelOf(deleted[0] as number)?.deleted).toBe(true);
  });

  it('plants personal data that is really in the comments, with Luhn-valid card numbers', () => {
    const withPii = ds.ticketsWithPii();
    expect(withPii.length / ds.ticketCount).toBeGreaterThan(0.04);
    const all = ds.allPlantedPii();
    const kinds = new Set(all.map((p) => p.kind));
    expect([...kinds].sort()).toEqual(['card', 'email', 'ip', 'phone']);
    for (const p of all) {
      const comment = ds.getComments(p.ticketId).find((c) => c.id === p.commentId);
      expect(comment?.body).toContain(p.value);
      if (p.kind === 'card') expect(luhnValid(p.value)).toBe(true);
      if (p.kind === 'email') expect(p.value).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/);
    }
    // tickets not flagged carry no planted data
    const flagged = new Set(withPii);
    const unflagged = ds.ticketIds().find((id) => !flagged.has(id)) as number;
    expect(ds.piiOf(unflagged)).toEqual([]);
    expect(ds.getTicket(unflagged)).not.toHaveProperty('plantedProblem');
  });
});

describe('ZendeskDataset mutations', () => {
  it('changes bump updated_at and generated_timestamp to the clock, and add comments/tickets', () => {
    const clock = new VirtualClock(END);
    const ds = new ZendeskDataset({ tickets: 100, seed: 3, clock });
    clock.advance(3_600_000);
    const now = Math.floor(clock.now() / 1000);

    ds.touchTickets([1010]);
    expect(ds.getTicket(1010)?.generated_timestamp).toBe(now);

    const before = ds.commentCountOf(1020);
    const c = ds.addComment(1020, { body: 'The export failed again today.', public: true });
    expect(ds.commentCountOf(1020)).toBe(before + 1);
    expect(ds.getComments(1020).at(-1)?.id).toBe(c.id);
    expect(c.author_id).toBe(ds.getTicket(1020)?.requester_id);
    expect(Date.parse(c.created_at) / 1000).toBe(now);
    const note = ds.addComment(1020, { body: 'internal: linked to ENG-1', public: false });
    expect(note.public).toBe(false);

    const t = ds.updateTicket(1030, { status: 'solved', tags: ['x'] });
    expect(t.status).toBe('solved');
    expect(t.tags).toEqual(['x']);

    ds.deleteTicket(1040);
    expect(ds.getTicket(1040)?.status).toBe('deleted');

    const ids = ds.addTickets(3);
    expect(ids).toEqual([1101, 1102, 1103]);
    expect(ds.getTicket(1101)?.status).toBe('new');
    expect(ds.getComments(1101)).toHaveLength(1);
    expect(ds.labelOf(1101)).not.toBeNull();

    const target = ds.getComments(1050)[0];
    const word = (target?.body ?? '').split(/\s+/).find((w) => w.length > 4) as string;
    ds.redactCommentText(1050, target?.id as number, word);
    expect(ds.getComments(1050)[0]?.body).not.toContain(word);
    expect(ds.getComments(1050)[0]?.body).toContain('▇'.repeat(word.length));
  });
});

describe('ZendeskDataset scale', () => {
  it('generates 20,000 tickets quickly and compactly (reported, generous bounds)', () => {
    const heapBefore = process.memoryUsage();
    const t0 = performance.now();
    const ds = new ZendeskDataset({ tickets: 20_000, seed: 99 });
    const genMs = performance.now() - t0;
    const heapAfter = process.memoryUsage();
    const t1 = performance.now();
    for (let i = 0; i < 2000; i++) ds.getTicket(ds.firstTicketId + i);
    const renderMs = performance.now() - t1;
    const structMb = (heapAfter.heapUsed + heapAfter.arrayBuffers - heapBefore.heapUsed - heapBefore.arrayBuffers) / 1e6;
    // Reported for the record; the bounds are deliberately loose so the test is not flaky.
    console.log(
      `20,000 tickets: generated in ${genMs.toFixed(0)} ms, ~${structMb.toFixed(1)} MB, ` +
        `${ds.totalComments()} comments; 2,000 tickets rendered in ${renderMs.toFixed(0)} ms`,
    );
    expect(ds.ticketCount).toBe(20_000);
    expect(genMs).toBeLessThan(15_000);
    expect(renderMs).toBeLessThan(15_000);
  });
});
