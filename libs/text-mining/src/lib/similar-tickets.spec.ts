import { Neighbour } from './neighbour-index';
import { mineDocuments } from './pipeline';
import { SimilarTicketIndex, SimilarTicketInput, duplicateGroups, rankSimilarTickets } from './similar-tickets';
import { TextModel } from './text-model';

const TICKETS: SimilarTicketInput[] = [
  { id: 'a1', subject: 'CSV export times out', body: 'Exporting the sales report to CSV times out after 60 seconds.' },
  { id: 'a2', subject: 'Export to CSV fails', body: 'Hi team,\n\nThe CSV export of our sales report never finishes.' },
  { id: 'b1', subject: 'Change invoice address', body: 'How can I change the billing address on my invoices?' },
  { id: 'b2', subject: 'Update billing address', body: 'Where do I update the billing address shown on invoices?' },
  { id: 'c1', subject: 'iOS app crashes at login', body: 'The iOS app crashes when anyone on our team logs in.' },
  { id: 'c2', subject: 'App crash on login (iOS)', body: 'Since the update the iPhone app crashes right at login.' },
  { id: 'd1', subject: 'Dark mode request', body: 'Please add a dark mode to the dashboard.' },
];

describe('SimilarTicketIndex', () => {
  it('ranks the ticket about the same problem first, never the ticket itself', () => {
    const index = SimilarTicketIndex.build(TICKETS);
    expect(index.size).toBe(7);
    for (const [a, b] of [
      ['a1', 'a2'],
      ['b1', 'b2'],
      ['c1', 'c2'],
    ]) {
      expect(index.similar(a!, 3)[0]!.id).toBe(b);
      expect(index.similar(b!, 3)[0]!.id).toBe(a);
    }
    for (const [id, list] of index.allSimilar(6)) expect(list.map((n) => n.id)).not.toContain(id);
    expect(index.similar('nope', 3)).toEqual([]);
  });

  it('gives the same lists as mineDocuments in problem mode (the benchmarked duplicate mode)', () => {
    const index = SimilarTicketIndex.build([...TICKETS].reverse());
    const mined = mineDocuments(TICKETS, { mode: 'problem', similar: 3 });
    for (const t of TICKETS) expect(index.similar(t.id, 3)).toEqual(mined.similar!.get(t.id));
  });

  it('weighs the subject above the body', () => {
    const index = SimilarTicketIndex.build([
      { id: 'q', subject: 'printer offline', body: 'the scanner works' },
      { id: 'subject-match', subject: 'printer offline again', body: 'nothing else' },
      { id: 'body-match', subject: 'other thing', body: 'the scanner works' },
    ]);
    expect(index.similar('q', 2).map((n) => n.id)).toEqual(['subject-match', 'body-match']);
  });
});

describe('rankSimilarTickets', () => {
  it('keeps the plain TF-IDF ranking as its base: what cleaning drops (a URL path) still counts', () => {
    const query = {
      id: 'q',
      subject: 'Checkout page broken',
      body: 'The page https://shop.example.com/checkout/paypal/express/confirm stays blank.',
    };
    // The cleaned texts of both candidates are the same (URLs become their host): only the base tells them apart.
    const candidates = [
      {
        id: 'a-other',
        subject: 'Checkout page broken',
        body: 'The page https://shop.example.com/account/orders stays blank.',
      },
      {
        id: 'z-dup',
        subject: 'Checkout page broken',
        body: 'The page https://shop.example.com/checkout/paypal/express/confirm stays blank.',
      },
      ...TICKETS,
    ];
    const index = SimilarTicketIndex.build([query, ...candidates]);
    const [first, second] = index.similar('q', 2);
    expect(first!.score).toBe(second!.score);
    expect(rankSimilarTickets(query, candidates, 3)[0]!.id).toBe('z-dup');
    expect(index.ranked('q', 1)[0]!.id).toBe('z-dup');
  });

  it('ranks a candidate set, leaving out the query and zero scores', () => {
    const [query, ...rest] = TICKETS;
    const ranked = rankSimilarTickets(query!, [...rest, query!], 10);
    expect(ranked[0]!.id).toBe('a2');
    expect(ranked.map((n) => n.id)).not.toContain('a1');
    expect(ranked.every((n) => n.score > 0)).toBe(true);
    expect(rankSimilarTickets(query!, rest, 1)).toHaveLength(1);
  });

  it('with background statistics, a word common in the collection stops dominating a small candidate set', () => {
    const query = { id: 'q', subject: 'widget sync error', body: 'sync error on the widget page' };
    const candidates = [
      { id: 'same-error', subject: 'error', body: 'error error in the widget error' },
      { id: 'same-sync', subject: 'sync', body: 'sync stops on the widget page' },
    ];
    // Among the candidates alone "error" and "sync" are equally rare; in the collection "error" is everywhere.
    const collection = Array.from({ length: 50 }, (_, i) => ({
      subject: `error ${i}`,
      body: `an error happened ${i}`,
    }));
    const background = SimilarTicketIndex.build(collection.map((c, i) => ({ id: `bg${i}`, ...c }))).model;
    const withBackground = rankSimilarTickets(query, candidates, 2, { background });
    expect(withBackground[0]!.id).toBe('same-sync');
    const a = rankSimilarTickets(query, candidates, 2);
    const b = rankSimilarTickets(query, candidates, 2, { background });
    expect(b.find((n) => n.id === 'same-error')!.score).toBeLessThan(a.find((n) => n.id === 'same-error')!.score);
  });
});

describe('TextModel background statistics', () => {
  it('vectorize with an empty background is unchanged; a background lowers common terms', () => {
    const m = new TextModel({ bigrams: false });
    m.addDocuments(['alpha beta', 'alpha gamma', 'alpha delta']);
    const empty = new TextModel({ bigrams: false });
    expect(m.vectorize('alpha beta', empty)).toEqual(m.vectorize('alpha beta'));
    const bg = new TextModel({ bigrams: false });
    bg.addDocuments(['beta one', 'beta two', 'beta three', 'gamma']);
    const plain = m.vectorize('alpha beta gamma');
    const withBg = m.vectorize('alpha beta gamma', bg);
    const weight = (v: typeof plain, term: string) => v.weights[v.ids.indexOf(m.termId(term)!)]!;
    expect(weight(withBg, 'beta') / weight(withBg, 'gamma')).toBeLessThan(
      weight(plain, 'beta') / weight(plain, 'gamma'),
    );
  });
});

const n = (id: string, score: number): Neighbour => ({ id, score });

describe('duplicateGroups', () => {
  const lists = new Map<string, Neighbour[]>([
    // x ↔ y: mutual best, high, standing out.
    ['x', [n('y', 0.8), n('p', 0.1), n('q', 0.1)]],
    ['y', [n('x', 0.8), n('q', 0.2)]],
    // u → v but v's best is w: not mutual.
    ['u', [n('v', 0.7), n('p', 0.1)]],
    ['v', [n('w', 0.75), n('u', 0.7)]],
    ['w', [n('v', 0.75), n('u', 0.7)]],
    // s ↔ t: mutual but low.
    ['s', [n('t', 0.1)]],
    ['t', [n('s', 0.1)]],
    ['p', []],
  ]);

  it('links mutual best matches that are high and stand out; group id = smallest member id', () => {
    const groups = duplicateGroups(lists, { minScore: 0.3, ratio: 2 });
    expect(groups.get('x')).toBe('x');
    expect(groups.get('y')).toBe('x');
    // v ↔ w are mutual and high but do not stand out from u (0.7 vs 0.75 < 2×).
    expect(groups.has('v')).toBe(false);
    expect(groups.has('u')).toBe(false);
    expect(groups.has('s')).toBe(false);
    expect(groups.has('p')).toBe(false);
    expect(duplicateGroups(lists, { minScore: 0.3, ratio: 1 }).get('w')).toBe('v');
  });

  it('leaves out pairs filed too far apart when dates are known', () => {
    const dates = new Map([
      ['x', '2024-01-01'],
      ['y', '2024-06-01'],
    ]);
    expect(duplicateGroups(lists, { minScore: 0.3, ratio: 2, maxDays: 30 }, { createdAt: dates }).has('x')).toBe(false);
    expect(duplicateGroups(lists, { minScore: 0.3, ratio: 2, maxDays: 200 }, { createdAt: dates }).get('y')).toBe('x');
    // Unknown dates do not block a link.
    expect(duplicateGroups(lists, { minScore: 0.3, ratio: 2, maxDays: 30 }).get('y')).toBe('x');
  });

  it('needs the match to stand out in both lists', () => {
    // m's best is k and stands out; k's best is m but k's other neighbours are close: not a link at ratio 2.
    const lopsided = new Map<string, Neighbour[]>([
      ['m', [n('k', 0.6), n('p', 0.1)]],
      ['k', [n('m', 0.6), n('q', 0.5), n('r', 0.5)]],
    ]);
    expect(duplicateGroups(lopsided, { minScore: 0.3, ratio: 2 }).size).toBe(0);
    expect(duplicateGroups(lopsided, { minScore: 0.3, ratio: 1.1 }).get('k')).toBe('k');
  });

  it('groups real duplicates of the fixture and nothing else', () => {
    const index = SimilarTicketIndex.build(TICKETS);
    const groups = duplicateGroups(index.allSimilar(6), { minScore: 0.1, ratio: 1.5 });
    expect(groups.size).toBeGreaterThan(0);
    for (const id of groups.keys()) expect(['a', 'b', 'c']).toContain(id[0]);
    for (const [id, g] of groups) expect(g[0]).toBe(id[0]);
  });
});

describe('duplicateGroups: one template filled in twice', () => {
  // One web form's reports: the same boilerplate description around a different site and symptom.
  const form = (site: string, symptom: string): string =>
    `Browser: Acme 2.5 on Windows 10. Tested another browser: yes, it works there. Problem type: ${symptom}. ` +
    `Site: ${site}. Reported with the in-app feedback form, screenshot attached, no extensions installed.`;
  const tickets: SimilarTicketInput[] = [
    { id: 'f1', subject: 'shop.example.nl - images not loading', body: form('shop.example.nl', 'images') },
    { id: 'f2', subject: 'shop.example.nl - checkout button does nothing', body: form('shop.example.nl', 'button') },
    {
      id: 'r1',
      subject: 'Archived messages stay in the inbox',
      body: 'Pressing A on a message in the inbox does nothing since the update, the message stays where it is.',
    },
    {
      id: 'r2',
      subject: 'Archive action does not move messages',
      body: 'Message > Archive leaves every mail in the inbox. Worked last week; now I have to drag them by hand.',
    },
    { id: 'c1', subject: 'Cannot save my profile photo', body: 'Uploading a PNG avatar fails with error 413.' },
    { id: 'c2', subject: 'Cannot save my profile photo', body: 'Uploading a PNG avatar fails with error 413.' },
    { id: 'z1', subject: 'Dark mode request', body: 'Please add a dark mode to the dashboard.' },
    { id: 'z2', subject: 'Invoice shows the wrong VAT rate', body: 'Our German invoices list 16 % VAT, not 19 %.' },
  ];
  const index = SimilarTicketIndex.build(tickets);
  const byId = new Map(tickets.map((t) => [t.id, t]));
  const fields = (a: string, b: string) => index.fieldSimilarity(byId.get(a)!, byId.get(b)!);
  const lists = index.allSimilar(6);
  const options = { minScore: 0.1, ratio: 1.5 };

  it('compares subjects and descriptions field by field', () => {
    const template = fields('f1', 'f2');
    const own = fields('r1', 'r2');
    expect(template.body).toBeGreaterThan(0.4);
    expect(own.body).toBeLessThan(0.4);
    expect(fields('c1', 'c2').subject).toBeCloseTo(1, 5);
    expect(index.fieldSimilarity({ subject: 'x' }, { subject: 'x', body: 'text' }).body).toBeNull();
    expect(index.fieldSimilarity({ body: 'x' }, { subject: 'x', body: 'x' }).subject).toBeNull();
  });

  it('links two reports of one problem in their own words, not two uses of one form', () => {
    // Word overlap alone links the form's reports (shared boilerplate), as it did before fields were compared.
    expect(duplicateGroups(lists, options).get('f2')).toBe('f1');
    const groups = duplicateGroups(lists, options, { fields });
    expect(groups.has('f1')).toBe(false);
    expect(groups.has('f2')).toBe(false);
    expect(groups.get('r2')).toBe('r1');
    // A report sent twice is still one problem.
    expect(groups.get('c2')).toBe('c1');
  });

  it('without subjects the descriptions are the reports: alike is a link, not a template', () => {
    const bare = tickets.map((t) => ({ id: t.id, body: `${t.subject}. ${t.body}` }));
    const bareIndex = SimilarTicketIndex.build(bare);
    const bareById = new Map(bare.map((t) => [t.id, t]));
    const bareFields = (a: string, b: string) => bareIndex.fieldSimilarity(bareById.get(a)!, bareById.get(b)!);
    expect(bareFields('f1', 'f2').body).toBeGreaterThan(0.4);
    expect(duplicateGroups(bareIndex.allSimilar(6), options, { fields: bareFields }).get('f2')).toBe('f1');
  });

  it('links a copy only when it was sent within copyDays', () => {
    const createdAt = new Map([
      ['c1', '2024-03-01'],
      ['c2', '2024-03-20'],
    ]);
    expect(duplicateGroups(lists, options, { fields, createdAt }).has('c1')).toBe(false);
    expect(duplicateGroups(lists, { ...options, copyDays: 30 }, { fields, createdAt }).get('c2')).toBe('c1');
  });
});
