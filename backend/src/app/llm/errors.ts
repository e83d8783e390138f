/**
 * Thrown when LLM work must stop for the whole run (spend limit, wrong model, rejected key): not a failure of one
 * item. Analysis and clustering both stop on it (the analysis module re-exports it from `analyzer.ts`).
 */
export class AnalysisHaltedError extends Error {
  override readonly name = 'AnalysisHaltedError';
}
