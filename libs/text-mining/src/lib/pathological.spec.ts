import { splitSentences, ticketSentences, locate } from './analyzer/sentences';
import { cleanText, htmlToText, looksLikeHtml } from './clean';
import { extractKeyphrases } from './keyphrases';
import { termCounts, tokenize } from './tokenize';

/**
 * Issue 13: nothing a customer writes may block the event loop. Each pass over ticket text is run on 200 KB
 * texts that make backtracking patterns quadratic (runs without spaces, one punctuation mark repeated, tags that
 * never close); quadratic here is minutes, linear is milliseconds.
 */
const SIZE = 200_000;
const rep = (unit: string) => unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE);
const TEXTS: Record<string, string> = {
  letters: rep('a'),
  base64: rep('QUJDRGVmZ2hpams0NTY3Kz8v'),
  dottedLetters: rep('a.'),
  marks: rep('?!'),
  dots: rep('.'),
  dotSpaces: rep('. '),
  shortLines: rep('a\n'),
  blankLines: rep('\n'),
  openTags: rep('<p '),
  lessThans: rep('<a'),
  comments: rep('<!--'),
  scripts: rep('<script>'),
  blockquotes: rep('<blockquote>'),
  nestedQuotes: `<p>${rep('<blockquote>x')}${'</blockquote>'.repeat(1000)}`,
  www: rep('www.a'),
  entities: rep('&a'),
  words: rep('the export fails when '),
};

function cpuMs(fn: () => unknown): number {
  const before = process.cpuUsage();
  fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

const PASSES: Record<string, (text: string) => unknown> = {
  cleanText: (t) => cleanText(t),
  htmlToText: (t) => htmlToText(t),
  looksLikeHtml: (t) => looksLikeHtml(t),
  tokenize: (t) => tokenize(t),
  termCounts: (t) => termCounts(t, { charNgrams: 3 }),
  keyphrases: (t) => extractKeyphrases([t, 'the export fails']),
  splitSentences: (t) => splitSentences(t),
  ticketSentences: (t) => ticketSentences([{ kind: 'description', author: 'customer', raw: t }]),
  locate: (t) => locate(t.replace(/\s/g, '\t'), t.slice(-3000, -1000)),
};

describe('text passes on 200 KB pathological text', () => {
  const cases = Object.keys(PASSES).flatMap((pass) => Object.keys(TEXTS).map((text) => [pass, text] as const));
  it.each(cases)('%s on %s takes well under a second', (pass, text) => {
    expect(cpuMs(() => PASSES[pass]!(TEXTS[text]!))).toBeLessThan(1000);
  });

  it('keeps what the scanners replace: comments, scripts and quoted replies go, unclosed ones stay', () => {
    expect(
      htmlToText('<p>a<!-- x -->b</p><script>var x</script><blockquote>q<blockquote>r</blockquote>s</blockquote>c'),
    ).toBe('\na b\n \nc');
    expect(htmlToText('<p>a <!-- open</p>')).toBe('\na <!-- open\n');
    expect(htmlToText('<p>a</p><blockquote>open <blockquote>inner</blockquote> end')).toBe('\na\nopen \n end');
  });

  it('locates a sentence whose white space differs from the raw text', () => {
    const raw = 'First line.\n\nThe   CSV export\ttimes out.';
    expect(locate(raw, 'The CSV export times out.')).toEqual([13, raw.length]);
  });
});
