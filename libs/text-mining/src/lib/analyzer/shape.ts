/**
 * The shape of a report (issue 19, point 4): a failure, a request or a question, read from product-independent
 * features of the title and description (`shape-features.ts`: question form, modality, help-seeking, the reporter's
 * own work, expected/actual, machine output, code, versions, template headings). The features' weights are a
 * multinomial logistic regression (`bench/mining/combine-shape.ts`, L2 0.01) fitted on the even-numbered half of the
 * NLBSE'24 GitHub issues together with the simulator's seed-42 support tickets; the odd half of NLBSE'24 and the
 * simulator's other seeds are the held-out check (bench/RESULTS.md). Ticket-level evidence the analyzer adds to its
 * sentence cues (`signals.ts`, `addShape`).
 */
import { SHAPE_FEATURES, shapeFeatures } from './shape-features';

/** Per feature: weight for bug, feature, question. */
const WEIGHTS: Readonly<Record<string, readonly [number, number, number]>> = {
  'title: question mark': [-0.48, 0.13, 0.35],
  'title: question start': [-0.31, 0.24, 0.07],
  'title: how to': [-0.25, -0.04, 0.29],
  'title: help word': [-0.2, -0.13, 0.33],
  'title: failure word': [0.64, -0.55, -0.09],
  'title: can not / unable': [0.12, -0.09, -0.03],
  'title: missing': [0.23, -0.2, -0.03],
  'title: request word': [-0.26, 0.63, -0.37],
  'title: imperative request': [-0.67, 0.79, -0.12],
  'title: modal request': [-0.16, 0.31, -0.14],
  'title: first person': [-0.06, -0.26, 0.32],
  'title: short': [-0.43, -0.2, 0.62],
  'title: code identifier': [0.12, 0.02, -0.13],
  'expected/actual': [0.12, 0.27, -0.39],
  'steps to reproduce': [0.44, -0.39, -0.05],
  regression: [0.24, -0.05, -0.19],
  'it fails': [0.27, -0.46, 0.19],
  'is wrong': [0.14, -0.08, -0.05],
  'would be nice': [-0.28, 0.49, -0.21],
  proposal: [-0.53, 0.68, -0.16],
  'currently no way': [0.08, -0.05, -0.03],
  'should / could (modal)': [-0.17, 0.56, -0.39],
  'we (team voice)': [0.26, -0.08, -0.18],
  'how do i': [-0.66, 0.14, 0.52],
  'help seeking': [0.27, -0.54, 0.27],
  'own work': [-0.38, -0.04, 0.42],
  novice: [-0.17, -0.07, 0.24],
  'i / my': [-0.39, -0.02, 0.41],
  'question marks': [-0.18, -0.23, 0.41],
  'question sentence start': [-0.18, -0.39, 0.57],
  'traceback / stack frame': [0.28, -0.04, -0.24],
  'exception name': [0.12, -0.1, -0.01],
  'crash words': [0.16, -0.06, -0.1],
  'error code': [-0.12, -0.05, 0.17],
  'code block': [-0.15, 0.03, 0.12],
  'version string': [0.1, -0.31, 0.22],
  screenshot: [-0.13, -0.13, 0.25],
  link: [-0.1, 0.46, -0.37],
  'bug template': [-0.45, 0.25, 0.21],
  'feature template': [-0.51, 0.69, -0.18],
  'long description': [0.07, 0.27, -0.34],
  'empty description': [0.03, 0.09, -0.11],
};
const BIAS: readonly [number, number, number] = [0.61, -0.64, 0.04];

/** Evidence units per unit of probability above chance (⅓), in the cues' scale (1 weak, 2 clear, 3 strong). */
const SCALE = 16;
/** A question this likely is not capped by the sentence cues (see `addShape`). */
const STRONG_QUESTION = 0.7;

export interface ReportShape {
  /** Evidence for a failure report, a request and a question: SCALE × (probability − ⅓), at least 0. */
  bug: number;
  feature: number;
  question: number;
  /** The question's probability is at least {@link STRONG_QUESTION}. */
  strongQuestion: boolean;
  /** Features present. */
  hits: string[];
}

/** Probabilities of bug, feature and question for a report's title and description. */
export function shapeProbabilities(subject: string, description: string): [number, number, number] {
  const x = shapeFeatures(subject ?? '', description ?? '');
  const z = BIAS.map((b, k) => x.reduce((a, v, j) => a + v * (WEIGHTS[SHAPE_FEATURES[j]!.id]?.[k] ?? 0), b));
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const sum = e[0]! + e[1]! + e[2]!;
  return [e[0]! / sum, e[1]! / sum, e[2]! / sum];
}

/** The report's shape from its title and description (raw text; code and logs included). */
export function reportShape(subject: string, description: string): ReportShape {
  // A message without a subject (a chat line, an intent) is not a report: no shape (the analyzer uses the
  // hand-weighted cues of shape-cues.ts). The weights were fitted on titled reports; their prior alone would make
  // every untitled message look like a bug report.
  if (!(subject ?? '').trim()) return { bug: 0, feature: 0, question: 0, strongQuestion: false, hits: [] };
  const x = shapeFeatures(subject ?? '', description ?? '');
  const [bug, feature, question] = shapeProbabilities(subject, description);
  const above = (p: number) => SCALE * Math.max(0, p - 1 / 3);
  return {
    bug: above(bug),
    feature: above(feature),
    question: above(question),
    strongQuestion: question >= STRONG_QUESTION,
    hits: SHAPE_FEATURES.filter((_, j) => x[j]! > 0).map((f) => f.id),
  };
}
