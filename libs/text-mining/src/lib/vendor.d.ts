// Minimal typings for untyped CommonJS dependencies used by this library.
declare module 'wink-porter2-stemmer' {
  /** Porter2 (English Snowball) stemmer: `stem('running') === 'run'`. */
  function stem(word: string): string;
  export = stem;
}

declare module 'stopword' {
  /** English stop-word list (lower case). */
  export const eng: readonly string[];
  export function removeStopwords(tokens: string[], stopwords?: readonly string[]): string[];
}
