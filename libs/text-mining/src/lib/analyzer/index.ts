export * from './types';
export { analyzeTicketLocally, LocalAnalyzer } from './analyze';
export type { SentenceSignals, TicketSignals } from './analyze';
export { TaxonomyMatcher } from './taxonomy-matcher';
export type { CategoryMatch } from './taxonomy-matcher';
export { wholeCharacters } from './sentences';
