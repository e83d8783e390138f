import { extractKeyphrases, labelCluster } from './keyphrases';
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
