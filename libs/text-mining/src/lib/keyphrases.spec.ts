import { extractKeyphrases, labelCluster, namePhrase } from './keyphrases';
import { TextModel } from './text-model';

const CLAIMS = [
  'I need to file a claim for my car accident',
  'How do I file a claim after an accident?',
  'Want to file a claim, someone hit my car',
  'Filing a claim for hail damage',
];

describe('extractKeyphrases', () => {
  it('prefers repeated specific phrases and shows a surface form', () => {
    const k = extractKeyphrases(CLAIMS, 3);
    expect(k[0].phrase).toBe('file claim');
    expect(k[0].count).toBe(4);
    expect(k.map((x) => x.key)).not.toContain('claim'); // covered by "file claim"
  });

  it('uses background statistics to demote generic words', () => {
    const background = new TextModel();
    background.addDocuments([...CLAIMS, ...Array.from({ length: 30 }, (_, i) => `my car number ${i} needs service`)]);
    const k = extractKeyphrases(CLAIMS, 5, { background });
    expect(k.findIndex((x) => x.key === 'car')).not.toBe(0);
  });

  it('is deterministic and independent of input order', () => {
    expect(extractKeyphrases([...CLAIMS].reverse(), 5)).toEqual(extractKeyphrases(CLAIMS, 5));
  });
});

describe('labelCluster', () => {
  it('joins the top phrases, or falls back to the first text', () => {
    expect(labelCluster(CLAIMS).label).toMatch(/^file claim/);
    expect(labelCluster(['Completely unique words here', 'nothing shared', 'other stuff']).label).toBe(
      'Completely unique words here',
    );
    expect(labelCluster([]).label).toBe('(empty)');
  });
});

describe('namePhrase / labelCluster phrase', () => {
  const texts = [
    'The Android app crashes after the update when I open it',
    'Since the update the android app crashes on start',
    'Android app crashes after update, please help',
    'app crashes after update on my Android phone, Acme Corp',
  ];

  it('names a cluster with its distinctive words in the order people write them, no stop word at either end', () => {
    const { phrase, keyphrases } = labelCluster(texts);
    expect(keyphrases.length).toBeGreaterThan(0);
    // Every distinctive word, in an order one of the reports wrote them.
    for (const w of ['android', 'app', 'crashes', 'update']) expect(phrase).toContain(w);
    expect(texts.map((t) => t.toLowerCase()).some((t) => t.includes(phrase))).toBe(true);
    expect(phrase).not.toMatch(/^(the|a|an|and|of|to|in|on|my)\b|\b(the|a|an|and|of|to|in|on|my)$/);
    expect(phrase).not.toMatch(/acme/i);
  });

  it('spells the pronoun I as written', () => {
    const phrase = namePhrase(
      ['i need to know the weather', 'what i need to know about weather'],
      extractKeyphrases(['i need to know the weather', 'what i need to know about weather'], 5, { minCount: 1 }),
    );
    expect(phrase).not.toMatch(/\bi\b/);
  });

  it('is empty without keyphrases', () => {
    expect(namePhrase(['anything'], [])).toBe('');
  });
});
