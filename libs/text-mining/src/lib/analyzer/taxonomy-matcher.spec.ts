import { TaxonomyMatcher, weightedTerms } from './taxonomy-matcher';
import { TAXONOMY } from './testing/tickets';

const m = new TaxonomyMatcher(TAXONOMY);
const match = (text: string) => m.match(weightedTerms(text, 1));

describe('TaxonomyMatcher', () => {
  it('chooses category and subcategory from names, descriptions and keywords (stemmed)', () => {
    expect(match('Exporting the report to Excel')).toMatchObject({ category: 'Reports', subcategory: 'Export' });
    expect(match('charged twice, need a refund')).toMatchObject({ category: 'Billing', subcategory: 'Charges' });
    expect(match('Okta SAML login loop')).toMatchObject({ category: 'Login & Access', subcategory: 'SSO' });
    expect(match('the android app')).toMatchObject({ category: 'Mobile', subcategory: 'Android' });
    expect(match('webhooks arrive late')).toMatchObject({ category: 'Developer API', subcategory: 'Webhooks' });
  });

  it('a word shared by all subcategories still identifies the category', () => {
    expect(match('something on my phone')).toMatchObject({ category: 'Mobile' });
  });

  it('falls back to an "Other" category, else the first, when nothing matches', () => {
    expect(match('zzz qqq')).toMatchObject({ category: 'Billing', subcategory: 'Charges', score: 0 });
    const withOther = new TaxonomyMatcher({
      categories: [
        ...TAXONOMY.categories,
        {
          name: 'Other',
          description: 'Anything else',
          subcategories: [{ name: 'General', description: 'Uncategorised' }],
        },
      ],
    });
    expect(withOther.match(weightedTerms('zzz qqq', 1))).toMatchObject({ category: 'Other', subcategory: 'General' });
  });

  it('breaks ties on taxonomy order', () => {
    const twins = new TaxonomyMatcher({
      categories: [
        { name: 'Alpha', description: 'widgets', subcategories: [{ name: 'A1', description: 'widgets' }] },
        { name: 'Beta', description: 'widgets', subcategories: [{ name: 'B1', description: 'widgets' }] },
      ],
    });
    expect(twins.match(weightedTerms('widgets', 1))).toMatchObject({ category: 'Alpha', subcategory: 'A1' });
  });

  it('returns null for an empty taxonomy', () => {
    expect(new TaxonomyMatcher({ categories: [] }).match(weightedTerms('export', 1))).toBeNull();
  });
});
