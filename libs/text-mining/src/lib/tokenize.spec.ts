import { normalise, termCounts, tokenize, tokenizeClauses } from './tokenize';

describe('tokenize', () => {
  it('lower-cases, stems and drops stop words and pleasantries', () => {
    expect(tokenize('Hello, I am getting Errors when Exporting reports, thanks!')).toEqual([
      'get',
      'error',
      'export',
      'report',
    ]);
  });

  it('keeps negations and expands contractions', () => {
    expect(normalise("I can't log in, it won't load")).toBe('i can not log in, it will not load');
    expect(tokenize("I can't log in")).toEqual(['not', 'log']);
    expect(tokenize('No invoice')).toEqual(['no', 'invoic']);
  });

  it('folds accents and drops pure numbers by default', () => {
    expect(tokenize('Café 2024 x64')).toEqual(['cafe', 'x64']);
    expect(tokenize('error 404', { keepNumbers: true })).toEqual(['error', '404']);
  });

  it('splits clauses at punctuation so phrases do not cross them', () => {
    const clauses = tokenizeClauses('Reset password. Email never arrives');
    expect(clauses.map((c) => c.map((t) => t.stem))).toEqual([
      ['reset', 'password'],
      ['email', 'never', 'arriv'],
    ]);
    expect(clauses[1][2].surface).toBe('arrives');
  });
});

describe('termCounts', () => {
  it('counts unigrams and bigrams of adjacent content words', () => {
    const c = termCounts('I want to file a claim. File the claim today');
    expect(c.get('file')).toBe(2);
    expect(c.get('claim')).toBe(2);
    expect(c.get('file_claim')).toBe(2);
    expect(c.has('claim_file')).toBe(false);
  });

  it('adds character n-grams when asked', () => {
    const c = termCounts('vehicle', { bigrams: false, charNgrams: 4 });
    expect([...c.keys()]).toEqual(['vehicl', '#<veh', '#vehi', '#ehic', '#hicl', '#icle', '#cle>']);
  });
});
