import { frustrationScore, wordValence } from './frustration';

describe('frustrationScore', () => {
  it('scores neutral text 0.5 and names no cue', () => {
    expect(frustrationScore('The export button is on the reports page.')).toEqual({ score: 0.5, valence: 0, cues: [] });
    expect(frustrationScore('').score).toBe(0.5);
  });

  it('scores an angry ticket above 0.8 and a thankful one below 0.3', () => {
    const angry = frustrationScore('This is ridiculous, the sync failed AGAIN and nobody answers. Unacceptable!!');
    expect(angry.score).toBeGreaterThan(0.8);
    expect(angry.cues).toEqual(expect.arrayContaining(['ridiculous', 'failed', 'unacceptable']));
    expect(frustrationScore('Thanks, works great now, really appreciate the quick help').score).toBeLessThan(0.3);
  });

  it('flips a negated word and damps it', () => {
    expect(frustrationScore('not good').score).toBeGreaterThan(0.5);
    expect(frustrationScore('not bad at all').score).toBeLessThan(0.5);
    expect(frustrationScore('not good').score).toBeLessThan(frustrationScore('bad').score);
  });

  it('counts intensifiers and shouting', () => {
    expect(frustrationScore('very annoying').score).toBeGreaterThan(frustrationScore('annoying').score);
    expect(frustrationScore('annoying!!!').score).toBeGreaterThan(frustrationScore('annoying.').score);
    expect(frustrationScore('this is BROKEN').score).toBeGreaterThan(frustrationScore('this is broken').score);
  });

  it('does not let a long calm ticket become frustrated by one problem word', () => {
    const long = `We noticed a small issue with the date picker. ${'The rest of the form is fine and the team likes it. '.repeat(4)}`;
    expect(frustrationScore(long).score).toBeLessThan(0.5);
  });

  it('matches prefix entries and stays within 0–1', () => {
    expect(wordValence('frustrating')).toBeLessThan(0);
    expect(wordValence('frustrated')).toBe(wordValence('frustration'));
    expect(wordValence('keyboard')).toBe(0);
    const extreme = frustrationScore('WORST WORST WORST horrible awful useless garbage scam!!!!'.repeat(20)).score;
    expect(extreme).toBeLessThanOrEqual(1);
    expect(extreme).toBeGreaterThan(0.99);
  });

  it('is deterministic', () => {
    const text = 'Still waiting for weeks, so frustrating';
    expect(frustrationScore(text)).toEqual(frustrationScore(text));
  });
});
