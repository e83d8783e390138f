import { GENERIC_PROBLEM_CUES, NOISE_CUES, RESOLVED, TYPE_CUES, consequenceIndex, cueForm, scoreCues } from './cues';

describe('cueForm', () => {
  it('lower-cases, expands contractions and unifies spellings', () => {
    expect(cueForm("I can't Log-In and it doesn’t work")).toBe('i can not login and it does not work');
    expect(cueForm('Cannot sign in with Single Sign-On')).toBe('can not login with sso');
    expect(cueForm('The e-mail uses the wrong time zone')).toBe('the email uses the wrong timezone');
  });
});

describe('scoreCues', () => {
  const bug = TYPE_CUES.bug;

  it('sums matching cues once each and reports their ids', () => {
    const hits: string[] = [];
    const s = scoreCues(cueForm('The export fails with a 504 Gateway Timeout error.'), bug, hits);
    expect(s).toBeGreaterThan(3);
    expect(hits).toEqual(expect.arrayContaining(['error', 'fails', 'timeout']));
  });

  it('ignores negated mentions ("no errors")', () => {
    expect(scoreCues(cueForm('The import ran with no errors.'), bug)).toBe(0);
    expect(scoreCues(cueForm('It finished without any error'), bug)).toBe(0);
  });

  it('counts cues in a consequence clause at half weight', () => {
    const form = cueForm('Retries arrive late, so our system ends up with wrong totals.');
    const full = scoreCues(form, TYPE_CUES.data_issue);
    const half = scoreCues(form, TYPE_CUES.data_issue, undefined, consequenceIndex(form));
    expect(half).toBeCloseTo(full / 2);
  });

  it('recognises each issue type from plain wording', () => {
    const cases: Array<[keyof typeof TYPE_CUES, string]> = [
      ['bug', 'Since the update the app keeps crashing.'],
      ['friction', 'Approving invoices takes forever, too many clicks.'],
      ['ux_confusion', 'The new settings page is confusing, I could not figure out where the API keys went.'],
      ['feature_request', 'It would be nice if we could export to Google Sheets.'],
      ['documentation_gap', 'Your help article is outdated, the screenshots do not match.'],
      ['data_issue', "The numbers on the dashboard don't match our database."],
    ];
    for (const [type, text] of cases) {
      const form = cueForm(text);
      const own = scoreCues(form, TYPE_CUES[type]);
      expect(own).toBeGreaterThan(0);
      for (const other of Object.keys(TYPE_CUES) as Array<keyof typeof TYPE_CUES>) {
        if (other !== type) expect(scoreCues(form, TYPE_CUES[other])).toBeLessThanOrEqual(own);
      }
    }
  });

  it('recognises requests that are not problems', () => {
    expect(scoreCues(cueForm('I forgot my password, can you reset it?'), NOISE_CUES.password)).toBeGreaterThan(0);
    expect(scoreCues(cueForm('Please cancel our subscription at renewal.'), NOISE_CUES.cancellation)).toBeGreaterThan(
      0,
    );
    expect(scoreCues(cueForm('Can you send a copy of invoice 2231?'), NOISE_CUES.billing)).toBeGreaterThan(0);
    expect(scoreCues(cueForm('How do I duplicate a dashboard?'), NOISE_CUES.how_to)).toBeGreaterThan(0);
    expect(scoreCues(cueForm('Kudos to the team, the new release is great!'), NOISE_CUES.thanks)).toBeGreaterThan(0);
  });

  it('untyped problem words and resolutions', () => {
    expect(scoreCues(cueForm('We are having an issue with the sync.'), GENERIC_PROBLEM_CUES)).toBeGreaterThan(0);
    expect(RESOLVED.test(cueForm('Confirmed, it works now. Thanks!'))).toBe(true);
    expect(RESOLVED.test(cueForm('It still fails.'))).toBe(false);
  });
});
