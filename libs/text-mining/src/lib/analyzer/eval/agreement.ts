/**
 * Sanity check (not a test): agreement of the local analyzer with the Zendesk simulator's planted labels.
 *
 *   npx ts-node -T -P libs/testing/tsconfig.lib.json libs/text-mining/src/lib/analyzer/eval/agreement.ts \
 *     [--tickets 400] [--seed 42] [--no-roles] [--no-tags] [--show-errors 20]
 *
 * Dev-only script: it is the one place in this library that touches `libs/testing` (the library code and
 * its specs never do). Results are written up in ../README.md.
 */
/* eslint-disable @nx/enforce-module-boundaries -- dev-only evaluation script, not part of the library */
import { PLANTED_PROBLEMS, ZendeskDataset } from '../../../../../testing/src/zendesk';
/* eslint-enable @nx/enforce-module-boundaries */
import { LocalAnalyzer } from '../analyze';
import { AnalyzerTicket, Severity } from '../types';
import { EVAL_TAXONOMY, AREA_TO_CATEGORY } from './taxonomy';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const flag = (name: string): boolean => process.argv.includes(`--${name}`);

const tickets = Number(arg('tickets', '400'));
const seed = Number(arg('seed', '42'));
const showErrors = Number(arg('show-errors', '0'));
const noRoles = flag('no-roles');
const noTags = flag('no-tags');

const ds = new ZendeskDataset({ seed, tickets, endTime: Date.UTC(2025, 5, 1) });
const spec = new Map(PLANTED_PROBLEMS.map((p) => [p.id, p]));
const analyzer = new LocalAnalyzer(EVAL_TAXONOMY, { useTags: !noTags });

interface Row {
  id: number;
  input: AnalyzerTicket;
  customerText: string[];
  label: NonNullable<ReturnType<ZendeskDataset['labelOf']>>;
}

const rows: Row[] = [];
for (const id of ds.liveTicketIds()) {
  const th = ds.thread(id);
  const label = ds.labelOf(id);
  if (!th || !label) continue;
  const [first, ...rest] = th.comments;
  const input: AnalyzerTicket = {
    subject: th.ticket.subject,
    description: first?.body ?? th.ticket.description,
    comments: rest.map((c) => ({
      body: c.body,
      public: c.public,
      ...(noRoles ? {} : { authorRole: c.role === 'requester' ? ('end-user' as const) : ('agent' as const) }),
    })),
    tags: noTags ? [] : th.ticket.tags,
  };
  const customerText = [th.ticket.subject, ...th.comments.filter((c) => c.role === 'requester').map((c) => c.body)];
  rows.push({ id, input, customerText, label });
}

// Time a cold pass (first call compiles regexes, fills the stem cache) and three warm passes.
const time = () => {
  const t0 = process.hrtime.bigint();
  const out = rows.map((r) => analyzer.analyze(r.input));
  return { out, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
};
const cold = time();
const warm = [time(), time(), time()].map((x) => x.ms).sort((a, b) => a - b);
const results = cold.out;
const ms = warm[1];

let tp = 0;
let fp = 0;
let fn = 0;
let tn = 0;
let typeOk = 0;
let typeN = 0;
let sevOk = 0;
let sevNear = 0;
let catOk = 0;
let quoteBad = 0;
let multiWithAside = 0;
let asideTickets = 0;
let multiWithoutAside = 0;
let asideCaught = 0;
const fpByKind = new Map<string, number>();
const fnByProblem = new Map<string, number>();
const typeConf = new Map<string, number>();
const sevConf = new Map<string, number>();
const catByProblem = new Map<string, [number, number]>();
const errors: string[] = [];
const SEV: Severity[] = ['low', 'medium', 'high', 'critical'];
const inc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

rows.forEach((r, i) => {
  const res = results[i];
  const truth = r.label.plantedProblem !== null;
  const pred = res.status === 'issues_found';
  for (const issue of res.issues) {
    if (!r.customerText.some((t) => t.includes(issue.quote))) quoteBad++;
  }
  if (truth && pred) tp++;
  else if (!truth && pred) {
    fp++;
    inc(fpByKind, r.label.noiseKind ?? '?');
  } else if (truth && !pred) {
    fn++;
    inc(fnByProblem, r.label.plantedProblem as string);
  } else tn++;
  if (truth && pred) {
    const p = spec.get(r.label.plantedProblem as string);
    if (!p) return;
    const main = res.issues[0];
    typeN++;
    if (main.issueType === p.issueType) typeOk++;
    inc(typeConf, `${p.issueType} → ${main.issueType}`);
    if (main.severity === p.severity) sevOk++;
    if (Math.abs(SEV.indexOf(main.severity) - SEV.indexOf(p.severity)) <= 1) sevNear++;
    inc(sevConf, `${p.severity} → ${main.severity}`);
    const expected = AREA_TO_CATEGORY[p.area];
    const c = catByProblem.get(p.id) ?? [0, 0];
    c[1]++;
    if (main.category === expected) {
      catOk++;
      c[0]++;
    }
    catByProblem.set(p.id, c);
    if (r.label.alsoMentions.length) {
      asideTickets++;
      if (res.issues.length > 1) multiWithAside++;
      const asideArea = spec.get(r.label.alsoMentions[0])?.area;
      if (asideArea && res.issues.slice(1).some((x) => x.category === AREA_TO_CATEGORY[asideArea])) asideCaught++;
    } else if (res.issues.length > 1) multiWithoutAside++;
    if (showErrors && (main.issueType !== p.issueType || main.category !== expected) && errors.length < showErrors) {
      errors.push(
        `#${r.id} ${p.id}: type ${main.issueType} (want ${p.issueType}), cat ${main.category}/${main.subcategory} (want ${expected}), sev ${main.severity} (want ${p.severity})\n   summary: ${main.summary}`,
      );
    }
  } else if (showErrors && truth !== pred && errors.length < showErrors) {
    errors.push(
      `#${r.id} ${truth ? `MISSED ${r.label.plantedProblem}` : `FALSE ${r.label.noiseKind}`}: ${res.reason}\n   ${r.input.subject} | ${(r.input.description ?? '').replace(/\s+/g, ' ').slice(0, 220)}`,
    );
  }
});

const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)}%` : 'n/a');
const precision = tp / (tp + fp || 1);
const recall = tp / (tp + fn || 1);
console.log(
  `seed ${seed}, ${rows.length} tickets (${tp + fn} planted problems, ${fp + tn} noise)${noRoles ? ', no author roles' : ''}${noTags ? ', no tags' : ''}`,
);
console.log(
  `throughput: cold ${(rows.length / (cold.ms / 1000)).toFixed(0)} tickets/s, warm (median of 3) ${(rows.length / (ms / 1000)).toFixed(0)} tickets/s`,
);
console.log(
  `reports a product problem: precision ${pct(tp, tp + fp)}, recall ${pct(tp, tp + fn)}, F1 ${((2 * precision * recall) / (precision + recall || 1)).toFixed(3)}  (tp ${tp}, fp ${fp}, fn ${fn}, tn ${tn})`,
);
console.log(`  false positives by noise kind: ${JSON.stringify(Object.fromEntries(fpByKind))}`);
console.log(`  misses by planted problem: ${JSON.stringify(Object.fromEntries(fnByProblem))}`);
console.log(`issue type accuracy (detected planted problems): ${pct(typeOk, typeN)} of ${typeN}`);
console.log(
  `  ${[...typeConf.entries()]
    .sort()
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ')}`,
);
console.log(`severity exact: ${pct(sevOk, typeN)}, within one level: ${pct(sevNear, typeN)}`);
console.log(
  `  ${[...sevConf.entries()]
    .sort()
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ')}`,
);
console.log(`category (eval taxonomy, planted area → category): ${pct(catOk, typeN)}`);
console.log(
  `  ${[...catByProblem.entries()]
    .sort()
    .map(([k, [a, b]]) => `${k} ${a}/${b}`)
    .join(', ')}`,
);
console.log(
  `multiple issues: ${multiWithAside}/${asideTickets} tickets with a planted aside got ≥ 2 issues (${asideCaught} with the aside's category); ${multiWithoutAside}/${typeN - asideTickets} without an aside got ≥ 2`,
);
console.log(`quotes not verbatim in customer text: ${quoteBad}`);
if (errors.length) console.log(`\n${errors.join('\n')}`);
