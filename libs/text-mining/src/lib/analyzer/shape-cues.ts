/**
 * The hand-weighted shape of a message WITHOUT a subject (chat lines, intents): the learned shape (`shape.ts`) was
 * fitted on titled reports, and its prior alone would make every untitled message a bug report, so untitled messages
 * keep the cues they had before it (issue 19): tense and modality ("would be nice", "should support", "how do I"),
 * the expected/actual pattern, and machine output. Weights are rough strengths like the cues' (1 weak, 2 clear,
 * 3 strong). The title cues only matter when a caller passes a subject.
 */
import { Cue, cueForm, scoreCues } from './cues';

const c = (id: string, re: RegExp, w: number): Cue => ({ id, re, w });

/** Cues on the title (the cue form of the subject). */
const TITLE = {
  bug: [
    c(
      'failure word',
      /\b(?:crash(?:es|ed|ing)?|error|exception|fail(?:s|ed|ing|ure)?|broken|bug|regression|segfault|segmentation fault|hangs?|freez(?:es|ing)|leak(?:s|ing)?|wrong|incorrect|invalid|unexpected(?:ly)?|throws?|undefined|not working|does not work|do not work|no longer|stopped working|can not|unable to|mismatch|corrupt(?:s|ed)?|inconsistent|missing)\b/,
      2,
    ),
  ],
  feature: [
    c(
      'request word',
      /^(?:\W*(?:feature(?: request)?|enhancement|proposal|rfc|suggestion|idea|request)\b)|\b(?:feature request|would be (?:nice|great|useful|helpful))\b/,
      3,
    ),
    c(
      'imperative request',
      /^\W*(?:\[[^\]]*\]\s*)?(?:\w+:\s*)?(?:add|adding|support|allow|enable|provide|implement|expose|introduce|improve|extend|option|ability|offer|consider|deprecate)\b/,
      2,
    ),
    c(
      'modal request',
      /\b(?:should (?:be able|support|allow|have|be configurable|accept|provide)|option to|ability to|support for|a way to)\b/,
      1.5,
    ),
  ],
  question: [
    c('question mark', /\?\s*$/, 2),
    c(
      'question start',
      /^\W*(?:\[[^\]]*\]\s*)?(?:\w+:\s*)?(?:how|what|why|where|when|which|who|is (?:it|there|this)|are there|can (?:i|we|you|someone)|could (?:i|we|you)|does|do (?:i|we|you)|should (?:i|we))\b/,
      2,
    ),
    c(
      'question word',
      /\b(?:question|help|clarification|confus(?:ed|ing)|understand(?:ing)?|explain|guidance|advice)\b/,
      1.5,
    ),
    c('how to', /\bhow to\b/, 1.5),
  ],
};

/** Cues on the description (cue form). */
const BODY = {
  bug: [
    c(
      'expected/actual',
      /\b(?:expected|actual|current|observed) (?:behaviou?r|result|output|outcome)\b|\binstead of\b.{0,60}\b(?:it|we|i) (?:get|got|see|saw)\b|\bshould\b.{1,60}\bbut\b/,
      1.5,
    ),
    c(
      'steps',
      /\b(?:steps to reproduce|to reproduce|repro(?:duction)? steps|reproducible|minimal (?:reproducible )?example)\b/,
      1,
    ),
    c(
      'regression',
      /\b(?:used to work|worked (?:fine |well )?(?:in|before|with)|since (?:upgrading|updating|version)|after (?:upgrading|updating)|regression)\b/,
      2,
    ),
    c(
      'it fails',
      /\b(?:crash(?:es|ed)?|fails?|failed|throws?|raises?|segfaults?|hangs|freezes|breaks|broke|not working|does not work|error)\b/,
      1,
    ),
  ],
  feature: [
    c(
      'would be nice',
      /\b(?:it|this|that) would be (?:really |very |so )?(?:nice|great|useful|helpful|good|awesome|ideal|better)\b|\bnice to have\b|\bwould (?:love|like) (?:to see|to have|the ability|an option|a way|support)\b/,
      2.5,
    ),
    c(
      'proposal',
      /\b(?:feature request|i (?:would )?(?:propose|suggest)|we (?:could|should) (?:add|support|provide|allow)|proposed (?:solution|change|api|feature)|describe the solution|alternatives? (?:you have |you've )?considered|motivation|use ?case)\b/,
      2,
    ),
    c(
      'currently no way',
      /\b(?:currently|right now|at the moment),? (?:there is no|it is not possible|you can not|one can not)\b|\bis not (?:currently )?supported\b/,
      1.5,
    ),
  ],
  question: [
    c(
      'how do i',
      /\b(?:how (?:do|can|should|would) (?:i|we|one|you)|is there (?:a|any) (?:way|option|example|api|function|method)|is it possible to|what is the (?:best|right|correct|proper|recommended) way|any (?:idea|ideas|suggestions|help|hints)|can (?:someone|anyone|you) (?:help|explain|tell|point)|i (?:am|m) (?:new|confused|not sure|trying to understand|wondering)|i (?:was )?wonder(?:ing)?|i have a question|my question is)\b/,
      2,
    ),
    c(
      'own work',
      /\b(?:i (?:am|m) (?:trying|attempting|working on|building|learning)|i (?:want|wanted|need) to (?:know|understand|learn|use|create|make|build|do|train|implement)|in my (?:code|project|program|app|model|script)|my (?:code|project|program|model|script) (?:is|does|fails|gives|throws)|i (?:wrote|followed|installed|downloaded))\b/,
      2,
    ),
  ],
};

/** Machine output in the raw description: stack frames, tracebacks, exceptions, crash dumps. */
const MACHINE: RegExp[] = [
  /Traceback \(most recent call last\)/,
  /^\s*at [\w.$<>/\\-]+ ?\(?.*:\d+(?::\d+)?\)?\s*$/m,
  /File "[^"]+", line \d+/,
  /\b[A-Z]\w*(?:Error|Exception|Fault)\b(?::|\s+at\b)/,
  /\b(?:segmentation fault|core dumped|panic(?:ked)?:|assertion (?:failed|`)|fatal error|uncaught|stack ?trace|backtrace)\b/i,
  /\berror (?:code )?[A-Z]*\d{2,}\b|\bE\d{3,}\b|\bexit (?:code|status) [1-9]\d*\b/,
];

export interface HandShape {
  bug: number;
  feature: number;
  question: number;
  hits: string[];
}

/** The hand-weighted shape from a title and description (raw text; code and logs included). */
export function handShape(subject: string, description: string): HandShape {
  const hits: string[] = [];
  const title = cueForm(subject ?? '');
  // Bodies can be long: the first 4,000 characters say what kind of report it is.
  const body = cueForm((description ?? '').slice(0, 4000));
  const machine = MACHINE.filter((re) => re.test((description ?? '').slice(0, 20000))).length;
  if (machine) hits.push('machine output');
  const shape: HandShape = {
    bug: scoreCues(title, TITLE.bug, hits) + scoreCues(body, BODY.bug, hits) + Math.min(3, 1.5 * machine),
    feature: scoreCues(title, TITLE.feature, hits) + scoreCues(body, BODY.feature, hits),
    question: scoreCues(title, TITLE.question, hits) + scoreCues(body, BODY.question, hits),
    hits,
  };
  return shape;
}
