/**
 * Texts that make backtracking patterns quadratic or worse: long runs without spaces or `@` (a pasted log, a
 * base64 blob), runs of one punctuation mark, tags that never close. Each is `size` characters (default 200 KB).
 * Issue 13: every pass over ticket text must stay linear on these.
 */
export function pathologicalTexts(size = 200_000): Record<string, string> {
  const rep = (unit: string) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  let seed = 7;
  const random = (alphabet: string) =>
    Array.from({ length: size }, () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return alphabet[seed % alphabet.length];
    }).join('');
  return {
    letters: rep('a'),
    base64: random('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'),
    printable: random(Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('')),
    digits: rep('1'),
    dottedDigits: rep('1.'),
    dashedDigits: rep('1-'),
    spacedDigits: rep('1 '),
    internationalPhone: rep('+123456789012345678901'),
    hexColons: rep('ab:'),
    ats: rep('a@'),
    atDots: 'x@' + rep('a.'),
    url: 'https://example.com/' + rep('a'),
    secretQuery: 'https://example.com/?' + rep('tokena'),
    www: rep('www.a'),
    iban: rep('DE12 '),
    openTags: rep('<p '),
    lessThans: rep('<a'),
    comments: rep('<!--'),
    scripts: rep('<script>'),
    blockquotes: rep('<blockquote>'),
    entities: rep('&a'),
    marks: rep('?!'),
    dots: rep('.'),
    dotSpaces: rep('. '),
    shortLines: rep('a\n'),
    blankLines: rep('\n'),
    spaces: rep(' '),
    words: rep('the export fails when '),
  };
}
