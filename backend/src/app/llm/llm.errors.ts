/** Thrown when analysis must stop for the whole run (spend limit, wrong model, bad key): not a ticket failure. */
export class AnalysisHaltedError extends Error {
  override readonly name = 'AnalysisHaltedError';
}
