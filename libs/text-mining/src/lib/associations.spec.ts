import { TermAssociations } from './associations';
import { dot } from './sparse';
import { TextModel } from './text-model';

describe('TermAssociations', () => {
  const docs = [
    'car insurance quote',
    'auto insurance quote',
    'car insurance quote please',
    'auto insurance quote today',
    'reset password link',
    'password link expired',
  ];

  it('makes texts with co-occurring synonyms partly similar, leaving unrelated ones at 0', () => {
    const m = new TextModel({ bigrams: false });
    m.addDocuments(docs);
    const a = new TermAssociations({ weight: 0.5 });
    for (const d of docs) a.observe(m.vectorize(d));
    const car = m.vectorize('car');
    const auto = m.vectorize('auto');
    expect(dot(car, auto)).toBe(0);
    expect(dot(a.expand(car), a.expand(auto))).toBeGreaterThan(0);
    expect(dot(a.expand(car), a.expand(m.vectorize('password')))).toBe(0);
  });

  it('returns the vector unchanged when nothing is associated', () => {
    const m = new TextModel({ bigrams: false });
    m.addDocuments(['alpha beta']);
    const a = new TermAssociations();
    a.observe(m.vectorize('alpha beta'));
    const v = m.vectorize('alpha');
    expect(a.expand(v)).toBe(v);
  });
});
