import { dot, norm } from './sparse';
import { TextModel } from './text-model';

const DOCS = [
  'The invoice total is wrong',
  'Invoice shows the wrong total amount',
  'Cannot reset my password',
  'Password reset email never arrives',
];

describe('TextModel', () => {
  it('produces unit vectors where related texts are closer than unrelated ones', () => {
    const m = new TextModel();
    m.addDocuments(DOCS);
    const v = DOCS.map((d) => m.vectorize(d));
    for (const x of v) expect(norm(x)).toBeCloseTo(1);
    expect(dot(v[0], v[1])).toBeGreaterThan(0.15);
    expect(dot(v[0], v[2])).toBe(0);
    expect(dot(v[2], v[3])).toBeGreaterThan(dot(v[2], v[1]));
  });

  it('weights rare terms higher (idf) and applies sublinear tf', () => {
    const m = new TextModel({ bigrams: false });
    m.addDocuments(['error export', 'error import', 'error sync', 'error crash']);
    const v = m.vectorize('error export');
    const w = (term: string) => v.weights[Array.from(v.ids).indexOf(m.termId(term) as number)];
    expect(w('export')).toBeGreaterThan(w('error'));
    const raw = new TextModel({ bigrams: false, sublinearTf: false });
    raw.addDocuments(['a1 export', 'b1 import']);
    const sub = new TextModel({ bigrams: false });
    sub.addDocuments(['a1 export', 'b1 import']);
    const ratio = (mm: TextModel) => {
      const x = mm.vectorize('export export export import');
      return (
        x.weights[Array.from(x.ids).indexOf(mm.termId('export') as number)] /
        x.weights[Array.from(x.ids).indexOf(mm.termId('import') as number)]
      );
    };
    expect(ratio(raw)).toBeCloseTo(3);
    expect(ratio(sub)).toBeCloseTo(1 + Math.log(3));
  });

  it('counts subject words more than body words', () => {
    const m = new TextModel({ bigrams: false, subjectWeight: 3 });
    m.addDocuments([{ subject: 'export', body: 'import' }, 'other text']);
    const v = m.vectorize({ subject: 'export', body: 'import' });
    const wExport = v.weights[Array.from(v.ids).indexOf(m.termId('export') as number)];
    const wImport = v.weights[Array.from(v.ids).indexOf(m.termId('import') as number)];
    expect(wExport).toBeGreaterThan(wImport);
  });

  it('ignores unseen terms and terms below minDf', () => {
    const m = new TextModel({ minDf: 2, bigrams: false });
    m.addDocuments(['refund late', 'refund missing', 'unique words']);
    const v = m.vectorize('refund late zebra');
    expect(Array.from(v.ids).map((id) => m.term(id))).toEqual(['refund']);
  });

  it('is incremental: ids are append-only and old vectors stay comparable', () => {
    const m = new TextModel();
    m.addDocuments(DOCS.slice(0, 2));
    const before = new Map(Array.from({ length: m.vocabularySize }, (_, i) => [m.term(i), i]));
    m.addDocuments(DOCS.slice(2));
    for (const [t, id] of before) expect(m.termId(t)).toBe(id);
    expect(m.documentCount).toBe(4);
    expect(m.documentFrequency('invoic')).toBe(2);
  });

  it('gives the same vectors whatever the order documents were added in', () => {
    const a = new TextModel();
    a.addDocuments(DOCS);
    const b = new TextModel();
    b.addDocuments([...DOCS].reverse());
    for (const d of DOCS) {
      const va = a.vectorize(d);
      const vb = b.vectorize(d);
      const asMap = (m: TextModel, v: typeof va) =>
        new Map(Array.from(v.ids).map((id, i) => [m.term(id), Math.round(v.weights[i] * 1e12)]));
      expect(asMap(b, vb)).toEqual(asMap(a, va));
    }
  });

  it('round-trips through snapshot/restore', () => {
    const m = new TextModel({ minDf: 1 });
    m.addDocuments(DOCS);
    const r = TextModel.restore(JSON.parse(JSON.stringify(m.snapshot())));
    expect(r.vectorize(DOCS[0])).toEqual(m.vectorize(DOCS[0]));
    expect(r.options).toEqual(m.options);
  });
});
