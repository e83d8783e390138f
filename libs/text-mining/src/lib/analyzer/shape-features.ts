/**
 * Features of a report's shape that hold across products (issue 19, point 4): how the title is put, tense and
 * modality, help-seeking and the reporter's own work, the expected/actual pattern, templates' section headings,
 * machine output, code and version strings. Each is a number in [0, 1] (presence, or a count squashed); `shape.ts`
 * weighs them. No feature names a product, a repository or a project's own template.
 */
import { cueForm } from './cue-form';

export interface ShapeText {
  /** Cue form of the subject. */
  title: string;
  /** Cue form of the description's first 4,000 characters. */
  body: string;
  /** The description's first 20,000 characters as written (code, logs, markdown). */
  raw: string;
}

export interface ShapeFeature {
  id: string;
  value: (t: ShapeText) => number;
}

const has =
  (part: 'title' | 'body' | 'raw', re: RegExp) =>
  (t: ShapeText): number =>
    re.test(t[part]) ? 1 : 0;

/** Count of matches, squashed: 1 → 0.5, 2 → 0.67, 3 → 0.75 … (n / (n + 1)). */
const count =
  (part: 'title' | 'body' | 'raw', re: RegExp) =>
  (t: ShapeText): number => {
    const n = t[part].match(re)?.length ?? 0;
    return n / (n + 1);
  };

const f = (id: string, value: (t: ShapeText) => number): ShapeFeature => ({ id, value });

const TITLE_PREFIX = '^\\W*(?:\\[[^\\]]*\\]\\s*)?(?:[\\w-]+:\\s*)?';

export const SHAPE_FEATURES: readonly ShapeFeature[] = [
  // The title.
  f('title: question mark', has('title', /\?\s*$/)),
  f(
    'title: question start',
    has(
      'title',
      new RegExp(
        `${TITLE_PREFIX}(?:how|what|why|where|when|which|who|is (?:it|there|this)|are there|can (?:i|we|you|someone)|could (?:i|we|you)|does|do (?:i|we|you)|should (?:i|we))\\b`,
      ),
    ),
  ),
  f('title: how to', has('title', /\bhow (?:to|do|can)\b/)),
  f(
    'title: help word',
    has('title', /\b(?:question|help|clarification|confus(?:ed|ing)|understand(?:ing)?|explain|guidance|advice)\b/),
  ),
  f(
    'title: failure word',
    has(
      'title',
      /\b(?:crash(?:es|ed|ing)?|error|exception|fail(?:s|ed|ing|ure)?|broken|bug|regression|segfault|segmentation fault|hangs?|freez(?:es|ing)|leak(?:s|ing)?|wrong|incorrect|invalid|unexpected(?:ly)?|throws?|undefined|not working|does not work|do not work|no longer|stopped working|mismatch|corrupt(?:s|ed)?|inconsistent)\b/,
    ),
  ),
  f('title: can not / unable', has('title', /\b(?:can not|could not|unable to|not able to|failed to)\b/)),
  f('title: missing', has('title', /\b(?:missing|not shown|disappear(?:ed|s)?|gone)\b/)),
  f(
    'title: request word',
    has(
      'title',
      /^(?:\W*(?:\[\s*)?(?:feature(?: request)?|enhancement|proposal|rfc|suggestion|idea|request)\b)|\b(?:feature request|would be (?:nice|great|useful|helpful))\b/,
    ),
  ),
  f(
    'title: imperative request',
    has(
      'title',
      new RegExp(
        `${TITLE_PREFIX}(?:add|adding|support|allow|enable|provide|implement|expose|introduce|improve|extend|option|ability|offer|consider|deprecate|make|let|use|remove|replace|rename|update|upgrade|refactor|move)\\b`,
      ),
    ),
  ),
  f(
    'title: modal request',
    has(
      'title',
      /\b(?:should (?:be able|support|allow|have|be configurable|accept|provide|be)|option to|ability to|support for|a way to|allow (?:to|users|setting|for)|add (?:an? )?(?:option|support|ability|way|setting))\b/,
    ),
  ),
  f('title: first person', has('title', /\b(?:i|my|me|i am|i have)\b/)),
  // A ticket without a subject has no title shape (chat messages, intents): not a short title.
  f('title: short', (t) => {
    const n = t.title.split(/\s+/).filter(Boolean).length;
    return n > 0 && n <= 4 ? 1 : 0;
  }),
  f('title: code identifier', has('title', /[a-z][a-z0-9]*[A-Z]\w*|\w+_\w+|\w+\.\w+\(|\w+\(\)|`[^`]+`/)),
  // The description: a failure.
  f(
    'expected/actual',
    has(
      'body',
      /\b(?:expected|actual|current|observed) (?:behaviou?r|result|output|outcome)\b|\binstead of\b.{0,60}\b(?:it|we|i) (?:get|got|see|saw)\b|\bshould\b.{1,60}\bbut\b/,
    ),
  ),
  f(
    'steps to reproduce',
    has(
      'body',
      /\b(?:steps to reproduce|to reproduce|repro(?:duction)? steps|reproducible|minimal (?:reproducible )?example)\b/,
    ),
  ),
  f(
    'regression',
    has(
      'body',
      /\b(?:used to work|worked (?:fine |well )?(?:in|before|with)|since (?:upgrading|updating|version)|after (?:upgrading|updating)|regression)\b/,
    ),
  ),
  f(
    'it fails',
    count(
      'body',
      /\b(?:crash(?:es|ed)?|fails?|failed|throws?|raises?|segfaults?|hangs|freezes|breaks|broke|not working|does not work|error)\b/g,
    ),
  ),
  f('is wrong', has('body', /\b(?:is|are|was|were|seems?) (?:wrong|incorrect|broken|invalid|missing|not correct)\b/)),
  // The description: a request.
  f(
    'would be nice',
    has(
      'body',
      /\b(?:it|this|that) would be (?:really |very |so )?(?:nice|great|useful|helpful|good|awesome|ideal|better)\b|\bnice to have\b|\bwould (?:love|like) (?:to see|to have|the ability|an option|a way|support)\b/,
    ),
  ),
  f(
    'proposal',
    has(
      'body',
      /\b(?:feature request|i (?:would )?(?:propose|suggest)|we (?:could|should) (?:add|support|provide|allow)|proposed (?:solution|change|api|feature)|describe the (?:solution|feature)|alternatives? (?:you have |you've )?considered|motivation|use ?case)\b/,
    ),
  ),
  f(
    'currently no way',
    has(
      'body',
      /\b(?:currently|right now|at the moment),? (?:there is no|it is not possible|you can not|one can not)\b|\bis not (?:currently )?supported\b/,
    ),
  ),
  f('should / could (modal)', count('body', /\b(?:should|could|would)\b/g)),
  f('we (team voice)', count('body', /\b(?:we|our|us)\b/g)),
  // The description: a question about the reporter's own use.
  f(
    'how do i',
    has(
      'body',
      /\b(?:how (?:do|can|should|would) (?:i|we|one|you)|is there (?:a|any) (?:way|option|example|api|function|method)|is it possible to|what is the (?:best|right|correct|proper|recommended) way|i (?:was )?wonder(?:ing)?|i have a question|my question is)\b/,
    ),
  ),
  f(
    'help seeking',
    has(
      'body',
      /\b(?:help me|please help|pls help|can (?:someone|anyone|you) (?:help|explain|tell|point|assist)|any (?:idea|ideas|suggestions|help|hints|advice)|what (?:to do|should i do|am i doing wrong|can i do)|i have no idea|please (?:advise|guide|suggest)|thanks in advance|thank you in advance|appreciate (?:any|your) help|need (?:your |some )?help)\b/,
    ),
  ),
  f(
    'own work',
    has(
      'body',
      /\b(?:i (?:am|m) (?:trying|attempting|working on|building|learning)|i (?:want|wanted|need) to (?:know|understand|learn|use|create|make|build|do|train|implement)|in my (?:code|project|program|app|model|script)|my (?:code|project|program|model|script) (?:is|does|fails|gives|throws)|i (?:wrote|followed|installed|downloaded))\b/,
    ),
  ),
  f('novice', has('body', /\b(?:beginner|newbie|noob|i (?:am|m) new|new to|first time|just started)\b/)),
  f('i / my', count('body', /\b(?:i|my|me|mine)\b/g)),
  f('question marks', count('raw', /\?(?:\s|$)/g)),
  f(
    'question sentence start',
    count('body', /(?:^|[.!?]\s+|\n)(?:how|what|why|is there|is it|can i|could i|should i)\b/g),
  ),
  // Machine output, code, versions, templates.
  f(
    'traceback / stack frame',
    has(
      'raw',
      /Traceback \(most recent call last\)|^\s*at [\w.$<>/\\-]+ ?\(?.*:\d+(?::\d+)?\)?\s*$|File "[^"]+", line \d+/m,
    ),
  ),
  f('exception name', has('raw', /\b[A-Z]\w*(?:Error|Exception|Fault)\b(?::|\s+at\b)/)),
  f(
    'crash words',
    has(
      'raw',
      /\b(?:segmentation fault|core dumped|panic(?:ked)?:|assertion (?:failed|`)|fatal error|uncaught|stack ?trace|backtrace)\b/i,
    ),
  ),
  f('error code', has('raw', /\berror (?:code )?[A-Z]*\d{2,}\b|\bE\d{3,}\b|\bexit (?:code|status) [1-9]\d*\b/)),
  f('code block', has('raw', /```|^(?: {4}|\t)\S/m)),
  f('version string', has('raw', /\bv?\d+\.\d+(?:\.\d+)+\b/)),
  f('screenshot', has('raw', /!\[[^\]]*\]\(|<img\b|\.(?:png|jpe?g|gif)\b/i)),
  f('link', has('raw', /https?:\/\//)),
  f(
    'bug template',
    has(
      'body',
      /\b(?:describe the bug|bug report|steps to reproduce|expected behaviou?r|actual behaviou?r|current behaviou?r|system info(?:rmation)?|environment|os version|operating system)\b/,
    ),
  ),
  f(
    'feature template',
    has(
      'body',
      /\b(?:feature request|describe the (?:feature|solution)|is your feature request related|related to a problem|alternatives|additional context|motivation)\b/,
    ),
  ),
  f('long description', (t) => Math.min(1, Math.log1p(t.raw.length) / Math.log1p(8000))),
  f('empty description', (t) => (t.raw.trim().length < 40 ? 1 : 0)),
];

/** The text a shape is read from. */
export function shapeText(subject: string, description: string): ShapeText {
  return {
    title: cueForm(subject ?? ''),
    body: cueForm((description ?? '').slice(0, 4000)),
    raw: (description ?? '').slice(0, 20000),
  };
}

/** Every feature's value, in {@link SHAPE_FEATURES} order. */
export function shapeFeatures(subject: string, description: string): number[] {
  const t = shapeText(subject, description);
  return SHAPE_FEATURES.map((x) => x.value(t));
}
