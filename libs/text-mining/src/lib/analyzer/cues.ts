/**
 * Cue phrases of the local analyzer. Every pattern runs on the *cue form* of a sentence (see
 * {@link cueForm}): lower case, accents folded, contractions expanded ("doesn't" → "does not",
 * "can't"/"cannot" → "can not"), log in/sign in → "login". Weights are rough evidence strengths:
 * 1 weak, 2 clear, 3 unambiguous.
 */
import { normalise } from '../tokenize';
import { IssueType } from './types';

export interface Cue {
  /** Short label used in reasons and explanations. */
  id: string;
  re: RegExp;
  w: number;
  /** The match is ignored when the words right before it negate it ("no errors", "without any problem"). */
  negatable?: boolean;
}

const NEG_BEFORE = /\b(no|without|zero|never (had|got|saw) (an?|any))\s+(\w+\s+)?$/;

/** Lower case, folded, contractions expanded, a few spelling variants unified. Pure. */
export function cueForm(text: string): string {
  return normalise(text)
    .replace(/\bcannot\b/g, 'can not')
    .replace(/\bsingle sign[\s-]?on\b/g, 'sso')
    .replace(/\b(?:logg?|sign)(?:ing)?[\s-]?(?:in|on)\b|\bsignin\b|\blogon\b/g, 'login')
    .replace(/\be-mail/g, 'email')
    .replace(/\btime[\s-]zones?\b/g, 'timezone')
    .replace(/\bset[\s-]up\b/g, 'setup')
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[ \t]+/g, ' ');
}

/**
 * Where a clause describing a consequence starts ("…, so our system ends up with stale data",
 * "… because of this"), or -1. Cues after it describe impact rather than the problem itself.
 */
export function consequenceIndex(form: string): number {
  if (/\bbecause of (?:this|that|it)\W*$/.test(form)) return 0;
  const m =
    /,? (?:so (?:our|we|the|that|i|it)|which (?:means|corrupts|breaks|causes|makes|results)|as a result|because of (?:this|that|it))\b/.exec(
      form,
    );
  return m ? m.index : -1;
}

/**
 * Sum of the weights of the cues matching `form` (each cue counted once). Matched ids go to `hits`.
 * With `consequenceAt` ≥ 0, a cue that only matches after that offset counts half.
 */
export function scoreCues(form: string, cues: readonly Cue[], hits?: string[], consequenceAt = -1): number {
  let s = 0;
  for (const cue of cues) {
    cue.re.lastIndex = 0;
    const m = cue.re.exec(form);
    if (!m) continue;
    if (cue.negatable && NEG_BEFORE.test(form.slice(Math.max(0, m.index - 24), m.index))) continue;
    s += consequenceAt >= 0 && m.index > consequenceAt ? cue.w / 2 : cue.w;
    hits?.push(cue.id);
  }
  return s;
}

/** First index where any of the cues matches (-1 when none): used to centre long quotes on the cue. */
export function firstCueIndex(form: string, cues: readonly Cue[]): number {
  let best = -1;
  for (const cue of cues) {
    cue.re.lastIndex = 0;
    const m = cue.re.exec(form);
    if (m && (best < 0 || m.index < best)) best = m.index;
  }
  return best;
}

const c = (id: string, re: RegExp, w: number, negatable = false): Cue => ({ id, re, w, negatable });

// Verbs that describe a product action a customer fails at.
const ACTION =
  '(?:login|access|open|save|export|import|connect|upload|download|load|see|view|send|create|edit|delete|sync|submit|complete|pay|print|share|add|remove|update|change|install|run|generate|publish|receive|use)';

/** Cues per issue type, in customer text. */
export const TYPE_CUES: Readonly<Record<IssueType, readonly Cue[]>> = {
  bug: [
    c('error', /\berrors?\b|\berror(?:ed|ing) out\b/, 1.5, true),
    c(
      'crash',
      /\bcrash(?:es|ed|ing)?\b|\bforce[\s-]?clos\w*|\bkeeps? closing\b|\bcloses (?:immediately|instantly|itself)\b/,
      2.5,
      true,
    ),
    c('fails', /\bfail(?:s|ed|ing|ures?)?\b/, 1.5, true),
    c('broken', /\bbroken\b|\bbreaks\b|\bbroke\b|\bbreak (?:our|the|my|all)\b/, 1.5),
    c(
      'not working',
      /\b(?:does|do|did|is|are|was|were|will|would) not (?:(?:seem|appear) to )?(?:work|load|open|save|sync|respond|display|connect|run|start|send|upload|download|update|show|appear|arrive|trigger|fire|post|refresh)\w*|\bnot (?:working|loading|opening|saving|syncing|sending|posting|updating|showing up|responding)\b/,
      2,
    ),
    c(
      'stopped',
      /\bstopped (?:working|posting|sending|syncing|loading|updating|showing|receiving|arriving|running|firing|delivering)\b|\b(?:went|gone|go|has been|have been) (?:completely |totally |all )?(?:silent|quiet|dark|down)\b|\b(?:has|have) (?:\w+ )?stopped\b|\bnothing (?:shows up|arrives|gets (?:posted|sent|delivered)|comes through|happens)\b|\bnone of (?:our |the |my )?.{0,40}\b(?:are|is|get|gets|were|was) (?:being )?(?:delivered|sent|posted|received|shown|saved|synced)\b/,
      2.5,
    ),
    c('no longer', /\bno longer\b|\bnot \w+ (?:any ?more)\b|\bany ?more\b/, 1),
    c(
      'http 5xx',
      /\b(?:50[0-4]|40[0-4])\b(?: \w+)? ?(?:error|status|page|gateway|response|code|bad gateway|internal server)|\b(?:error|status|http|code|returns?|got|get|shows?) (?:a )?(?:50[0-4]|40[0-4])\b|\bgateway time-?out\b|\binternal server error\b/,
      2,
    ),
    c('bug', /\bbugs?\b|\bglitch(?:es|y)?\b|\bdefect\b|\bregression\b/, 1.5),
    c('timeout', /\btim(?:e|es|ed|ing)[\s-]?out\b|\btimeouts?\b/, 1.5),
    c(
      'hangs',
      /\bhang(?:s|ing)?\b|\bspinning (?:wheel|forever)\b|\bspinner (?:forever|never)\b|\bfreez(?:e|es|ing)\b|\bfrozen\b|\bspins? forever\b|\bspinning forever\b|\bstuck (?:at|on|in)\b/,
      1.5,
    ),
    c('blank screen', /\b(?:blank|white|empty|grey|gray) (?:screen|page)\b/, 1.5),
    c(
      'went wrong',
      /\bsomething went wrong\b|\bunexpected error\b|\bexception\b|\bstack ?trace\b|\boops\b|\btry again later\b|\baccess denied\b|\bpermission denied\b|\bforbidden\b/,
      1.5,
    ),
    c(
      'returns error',
      /\breturns? (?:an? |the )?(?:error|empty|nothing|null|wrong|\d{3}\b)|\b(?:nothing|none of (?:my|our|the) \w+) (?:loads?|works?|opens?|shows?|syncs?|saves?)\b/,
      2,
    ),
    c(
      'empty output',
      /\b(?:an? )?(?:empty|blank) (?:pdf|file|report|export|email|csv|page|table|chart|dashboard|list)s?\b|\b(?:arrives?|arriving|comes?|is|are) (?:completely )?(?:empty|blank)\b/,
      1.5,
    ),
    c(
      'instead of',
      /\b(?:shows?|showing|displays?|displaying|sends?|sending|returns?|gives?|uses?|using) .{1,40}\binstead of\b/,
      1.5,
    ),
    c(
      'back to login',
      /\b(?:back (?:at|to|on) the (?:login|start|home) (?:page|form|screen))\b|\bworks? fine (?:in|on|with) \w+/,
      1.5,
    ),
    c(
      'delayed',
      /\bdelay(?:ed|s)?\b|\barriv(?:e|es|ing) (?:\S+ ){0,3}(?:late|hours|days|minutes) (?:late|after|later)\b|\barriv(?:e|es) (?:\S+ ){0,2}(?:hours|days) (?:late|after)\b/,
      1.5,
    ),
    c(
      'unable to',
      new RegExp(`\\b(?:can not|unable to|not able to|could not|impossible to|no way to) ${ACTION}\\b`),
      1.5,
    ),
    c(
      'keeps failing',
      /\bkeeps? (?:crashing|failing|freezing|logging (?:me |us )?out|redirecting|timing out|erroring|reloading|bouncing)\b/,
      2,
    ),
    c(
      'loop',
      /\b(?:redirect|login|infinite|endless|reload) loops?\b|\btoo many redirects\b|\b(?:just|keeps?) loop(?:s|ing)?\b|\bloops? (?:back|forever|endlessly)\b|\bredirects? endlessly\b|\bover and over\b/,
      1.5,
    ),
    c(
      'never arrives',
      /\b(?:never|not) (?:arrives?|arrived|loads?|loaded|finish(?:es)?|finished|completes?|completed|delivered|shows? up|showed up|shown up|turned up|come through|came through|appears?|appeared|goes through|went through)\b/,
      1.5,
    ),
    c(
      'double charge',
      /\b(?:charged|invoiced|billed) (?:us |me )?for .{1,40}\bbut (?:we|i)\b|\bcharged (?:us |me )?(?:twice|two times|double|again)\b|\bdouble[\s-]?charged?\b|\bduplicate (?:charges?|payments?|invoices?|billing)\b|\bbilled (?:twice|two times|double)\b|\bovercharg\w*|\btwo (?:identical )?(?:charges|payments|invoices)\b/,
      2.5,
    ),
    c(
      'not enforced',
      /\bshould (?:not|never) be able to\b|\bis not supposed to\b|\bare not supposed to\b|\bnot (?:(?:seem|appear) to be )?(?:being )?enforced\b|\b(?:is|are) not (?:read[\s-]?only|private|restricted)\b|\bpermissions? (?:bug|bypass|leak)\b/,
      2,
    ),
    c(
      'security',
      /\b(?:security|privacy) (?:issue|hole|concern|problem|bug|risk|vulnerability|flaw|incident)\b|\bvulnerabilit(?:y|ies)\b|\bdata (?:from|of|belonging to) (?:another|other|a different) (?:customer|company|account|tenant|workspace|organi[sz]ation)s?\b|\b(?:that|which) (?:are|is) not ours\b/,
      2,
    ),
    c(
      'permission violation',
      /\b(?:viewers?|read[\s-]?only (?:users?|role|access|members?)|view[\s-]?only (?:users?|role|access)|view access|guests?|(?:non|regular)[\s-]admins?)\b.{0,60}\b(?:can(?! not)|could(?! not)|are able to|is able to|was able to|managed to|changed|deleted|edited|modified|removed|saved)\b/,
      2,
    ),
    c(
      'access leak',
      /\b(?:can|could|is able to|are able to|was able to)(?! not) (?:see|open|access|view|edit|download|read)\b.{0,80}\b(?:should (?:be|have been|stay) (?:private|restricted|hidden)|should not|not supposed to|without (?:permission|access|being invited|an account))\b/,
      2,
    ),
    c(
      'defect',
      /\bcuts? off\b|\bis cut off\b|\btruncat(?:ed|es|ing)\b|\b(?:is|are|goes|went) missing\b|\bdisappear(?:s|ed|ing)?\b|\bvanish(?:es|ed)\b|\b(?:get|gets|got|are|is|were|was) (?:\w+ )?(?:reset|lost|cleared|wiped)\b|\b(?:covers|hides|blocks) (?:half|part|most) of\b|\bhidden behind\b|\b(?:shows?|displays?) the (?:wrong|old|previous)\b|\bstill shows\b/,
      1.5,
    ),
    c(
      'cosmetic defect',
      /\btypos?\b|\bmisspell\w*|\bmisaligned\b|\boverlap(?:s|ping)?\b|\bcan not read\b|\bunreadable\b|\balignment is (?:off|broken|wrong)\b|\b(?:text|labels?|buttons?|icons?) (?:is |are )?(?:cut off|overlapping|misaligned)\b/,
      1.5,
    ),
    c(
      'nobody can',
      /\b(?:nobody|no one|none of (?:us|our \w+)|no users?) (?:\w+ ){0,4}(?:can|could|is able to|are able to|manages to)\b/,
      2,
    ),
    c(
      'out of order',
      /\bout[\s-]of[\s-]order\b|\b(?:do|does) not (?:preserve|keep|guarantee) (?:the )?(?:order|ordering|sequence)\b|\bwrong (?:order|sequence)\b|\bin a different order\b/,
      1.5,
    ),
    c(
      'regression',
      /\bused to (?:work|be|load|take|run)\b|\b(?:has|have) (?:become|gotten|got) (?:much |a lot |really |way )?(?:worse|slower|slow)\b|\b(?:has|have) become\b|\blately\b|\bthese days\b|\bsince (?:the|your|our|yesterday|last|this|today) ?(?:latest |last |recent |new )?(?:update|release|upgrade|version|deploy\w*|change)\b|\ball of a sudden\b|\bsuddenly\b|\bworked (?:fine )?(?:before|until|yesterday|last week)\b/,
      1,
    ),
    c('wrong behaviour', /\bis (?:ignored|ignoring)\b|\bdoes nothing\b|\bnothing happens\b|\bsilently\b/, 1.5),
  ],
  friction: [
    c('slow', /\b(?:slow|slower|slowly|sluggish|laggy|lags?)\b/, 1.5, true),
    c('very slow', /\b(?:painfully|very|super|really|extremely|incredibly|so|too) (?:slow|sluggish)\b|\bslow as\b/, 1),
    c(
      'takes forever',
      /\btakes? (?:forever|ages|too long|so long|a long time|way too long)\b|\btakes? (?:about |around |over |more than )?\d+\+? ?(?:seconds|secs|minutes|mins)\b|\b\d+\+? ?(?:seconds|secs) to (?:load|open)\b/,
      1.5,
    ),
    c('too many steps', /\btoo many (?:steps|clicks|screens|pages)\b|\bextra (?:steps|clicks)\b/, 2),
    c('tedious', /\btedious\b|\bcumbersome\b|\bclunky\b|\bpainful\b|\btime[\s-]?consuming\b|\blaborious\b/, 1.5),
    c('annoying', /\bannoying\b|\bfrustrat(?:ing|ed)\b|\birritating\b/, 1),
    c('manual', /\bby hand\b|\bmanually\b|\bone by one\b|\bevery single time\b|\beach time\b/, 1),
    c('wastes time', /\bwast(?:e|es|ing) (?:a lot of |so much |our |my )?time\b|\bwaiting (?:for ages|forever)\b/, 1.5),
    c('hard to use', /\b(?:hard|difficult|not easy|awkward) to (?:use|work with|navigate)\b/, 1.5),
  ],
  ux_confusion: [
    c(
      'confusing',
      /\bconfus(?:ing|ed|es)\b|\bmisleading\b|\bcounter[\s-]?intuitive\b|\bunintuitive\b|\bnot intuitive\b|\bnot obvious\b/,
      2,
    ),
    c('unclear', /\bunclear\b|\bnot clear\b/, 1.5),
    c(
      'hard to find',
      /\b(?:hard|difficult|impossible|tricky) to (?:find|figure out|understand|tell|locate|spot)\b|\btook (?:me |us )?(?:ages|forever|a while|a long time) to (?:find|figure out)\b|\bhidden\b/,
      2,
    ),
    c(
      "can't find",
      /\b(?:can not|could not|unable to|not able to|did not) (?:find|figure out|locate|work out|tell)\b|\bdo not see (?:a|an|the|any) (?:option|button|setting|way|menu|link)\b/,
      1,
    ),
    c('where is', /\bwhere (?:is|are|did)\b|\bwhere (?:do|can) (?:i|we) find\b/, 0.75),
    c(
      'expected',
      /\b(?:i|we) (?:expected|assumed|thought)\b.{0,80}\bbut\b|\bnot what (?:i|we) expected\b|\bdid not expect\b/,
      1.5,
    ),
    c(
      'does not explain',
      /\b(?:do|does|did) not (?:understand|know) (?:what|how|why|which|where)\b|\bwhat does .{1,40} mean\b/,
      1,
    ),
  ],
  feature_request: [
    c(
      'feature request',
      /\bfeature (?:request|suggestion|idea)\b|\benhancement (?:request)?\b|\bproduct suggestion\b/,
      3,
    ),
    c(
      'would be nice',
      /\b(?:would|it) be (?:really |very |so |super )?(?:nice|great|helpful|useful|awesome|amazing|ideal)(?: (?:if|to|too)\b| for (?:us|our)\b|[.!]|$)|\bnice to have\b/,
      2.5,
    ),
    c(
      'would love',
      /\bwould (?:really )?love (?:to|the ability|a|an|if|it|for|some)\b|\b(?:we|i) (?:would )?love (?:to have|the ability|it if|a way|an option|to be able)\b|\b(?:we|i) (?:would )?(?:really )?like (?:to be able|the (?:ability|option))\b/,
      2.5,
    ),
    c('please add', /\bplease (?:add|consider|implement|build|allow|support|make it possible|introduce|bring)\b/, 2.5),
    c(
      'could you add',
      /\b(?:could|can|would) you (?:please )?(?:add|consider adding|implement|build|allow|support|introduce|make it possible)\b|\bconsider (?:adding|supporting|building)\b|\b(?:could|can) you (?:please )?(?:raise|increase|extend|lift)\b/,
      2,
    ),
    c(
      'too limited',
      /\b(?:is|are) (?:way |much )?too (?:low|small|short|limited|restrictive)\b|\b(?:add|provide|offer) an? (?:\w+ )?(?:endpoint|option|setting|export|integration)\b/,
      1,
    ),
    c('wish', /\b(?:i|we) wish\b/, 2),
    c('roadmap', /\broadmap\b|\b(?:any|are there) plans? (?:to|for)\b|\bplanned feature\b/, 1.5),
    c(
      'ability to',
      /\b(?:want|need|like|love|missing|add|give us|have|get) (?:the|an) (?:ability|option|possibility) to\b|\badd (?:support|an option|a way|a setting) (?:for|to)\b/,
      1.5,
    ),
    c(
      'need to support',
      /\b(?:we|i) (?:really )?need .{1,40} to support\b|\bneeds? to support\b|\b(?:does|do|can) not support\b|\bnot supported\b/,
      1.5,
    ),
    c(
      'is it possible',
      /\bis (?:it|there) (?:possible|a way|any way|an option|a setting) (?:to|for)\b|\bcan we get\b|\bis (?:that|this) possible\b/,
      0.75,
    ),
    c(
      'we need',
      /\b(?:we|i) (?:really )?need (?:a|an|the|some) (?:way|option|feature|setting|ability)\b|\b(?:we|i) need (?:a |an )?\w+ .{0,40}\bautomatically\b/,
      1.5,
    ),
    c(
      'missing feature',
      /\b(?:missing|lacks|lacking) (?:a |an |the )?(?:feature|option|ability|setting|way)\b|\bthere is no (?:way|option|ability|setting) to\b/,
      2,
    ),
    c('it would help', /\bit would help\b|\bthis would (?:save|help|make)\b|\bwould save (?:us|me|my team)\b/, 1.5),
    c(
      'other tools',
      /\b(?:other|competing|competitor) (?:tools|products|apps|vendors) (?:can|have|support|offer|do)\b/,
      1.5,
    ),
    c('vote', /\b(?:add|adding|count) (?:my|our) vote\b|\b\+1 for\b|\bupvote\b/, 1.5),
  ],
  documentation_gap: [
    c(
      'docs wrong',
      /\b(?:docs|documentation|help (?:center|centre|article|page|doc)s?|knowledge ?base|kb article|guide|manual|api (?:reference|docs)|tutorial|instructions|release notes)\b.{0,60}\b(?:wrong|outdated|out of date|incorrect|missing|incomplete|inaccurate|(?:does|do) not (?:mention|explain|say|cover|match|describe)|is not clear|are not clear|unclear|confusing|misleading|broken link|404|not (?:up to date|updated))/,
      2.5,
    ),
    c(
      'undocumented',
      /\b(?:not|nowhere|never|poorly|badly) documented\b|\bundocumented\b|\bnot (?:mentioned|explained|described) (?:in|anywhere in) (?:the |your )?(?:docs|documentation|guide|help)/,
      2.5,
    ),
    c(
      'no docs',
      /\b(?:there is |there are )?no (?:documentation|docs|guide|tutorial|instructions|examples?|help article|release notes|changelog)s? (?:for|on|about|that|explaining|describing|covering)\b|\bcould not find (?:any )?(?:documentation|docs|guide|instructions)\b/,
      2,
    ),
    c(
      'docs say',
      /\b(?:according to|per) (?:the |your )?(?:docs|documentation|help article|guide|api reference)\b|\b(?:docs|documentation|help article|guide) (?:says?|states?|claims?)\b/,
      1.5,
    ),
    c(
      'please document',
      /\b(?:please |could you |can you )?(?:at least )?document (?:that|this|how|the|it)\b|\bupdate (?:the|your) (?:docs|documentation)\b/,
      1.5,
    ),
    c(
      'unclear instructions',
      /\bunclear instructions\b|\binstructions (?:are|were) (?:unclear|confusing|wrong|outdated)\b/,
      2.5,
    ),
  ],
  data_issue: [
    c(
      'numbers wrong',
      /\b(?:numbers|totals?|figures|metrics|counts?|values|revenue|data|amounts|sums?|results|kpis?|dates?|timestamps?|day boundaries)\b.{0,30}\b(?:are|is|look|looks|seem|seems|were|was|show|shows|appear|appears) (?:\w+ )?(?:wrong|off|incorrect|inaccurate|inconsistent|shifted|different|skewed)\b/,
      2.5,
    ),
    c(
      'wrong numbers',
      /\b(?:wrong|incorrect|inaccurate|inconsistent|mismatched|bad) (?:numbers|totals?|figures|data|values|counts?|amounts?|metrics|dates?|day|results|sums?|timestamps?|revenue|hours?|kpis?)\b/,
      2.5,
    ),
    c(
      'does not match',
      /\b(?:do|does|did) not (?:match|add up|line up|agree|reconcile|tally)\b|\b(?:numbers|totals?|counts?|figures|values|results) (?:differ|are different|vary)\b/,
      2,
    ),
    c(
      'contradiction',
      /\b(?:says?|shows?|reports?) [$\u20ac\u00a3]?\d[\d,.]*\b.{0,100}\bbut\b.{0,80}\b(?:says?|shows?|reports?|has|is) [$\u20ac\u00a3]?\d[\d,.]*/,
      2.5,
    ),
    c('mismatch', /\bmismatch(?:ed|es|ing)?\b|\bdiscrepanc(?:y|ies)\b|\bout of sync\b/, 2),
    c(
      'missing data',
      /\bmissing (?:data|rows|records|entries|values|transactions|events|orders|fields|days?|columns)\b|\b(?:data|rows|records|entries|events|transactions|orders) (?:are|is|were|was) missing\b/,
      2,
    ),
    c(
      'duplicates',
      /\bduplicate(?:d)? (?:rows|records|entries|events|contacts|data|lines|transactions|users|items|values)\b|\b(?:rows|records|entries|events|transactions) (?:are|were|get|got) duplicated\b|\b(?:appear|appears|show up|shows up|counted) twice\b|\b(?:every|each) (?:row|record|entry|line|event|order|transaction) twice\b|\b(?:are|is|got|get) doubled\b/,
      2,
    ),
    c(
      'timezone',
      /\btimezone\b|\butc\b|\bgmt\b|\boff by (?:\d+|a few|one|an|several|a couple of) (?:hours?|days?)\b|\bshifted by\b|\bwrong day\b/,
      1.5,
    ),
    c(
      'stale data',
      /\b(?:stale|outdated) data\b|\bdata (?:is|are) (?:not|never) (?:updated|refreshed|refreshing)\b/,
      1.5,
    ),
    c(
      'data lost',
      /\bdata loss\b|\blost (?:all )?(?:our |my |the )?(?:data|records|history|dashboards?|reports?)\b|\b(?:data|records|rows|history|dashboards?|reports?) (?:has |have )?(?:disappeared|vanished|(?:was|were|got|been) (?:deleted|wiped|erased|lost)|is gone|are gone)\b/,
      2.5,
    ),
    c(
      'implausible',
      /\b(?:which|that|this) (?:is|seems|looks) (?:impossible|wrong|off|too (?:high|low))\b|\bdoes not make (?:any )?sense\b|\bmakes no sense\b|\b(?:under|over|double)[\s-]?count\w*|\b(?:amounts?|values|numbers|currenc(?:y|ies)|totals?|prices?) (?:are|is) not (?:converted|updated|calculated|rounded|correct|right)\b|\bwrong currency\b/,
      2,
    ),
    c(
      'calculation',
      /\b(?:rounding|calculation|calculated|computed|aggregat\w+) (?:error|errors|is wrong|are wrong|incorrectly|wrong)\b|\bcorrupt(?:ed|s|ion)?\b/,
      2,
    ),
  ],
};

/** Problem words without a type ("we have an issue with …"). Count towards "is this a problem" only. */
export const GENERIC_PROBLEM_CUES: readonly Cue[] = [
  c(
    'problem',
    /\b(?:having|have|has|had|experiencing|seeing|facing|noticed|hit|hitting|run into|ran into|getting) (?:an |a |some |the same |this |that |major |serious |big )?(?:issues?|problems?|trouble)\b/,
    1,
  ),
  c(
    'known issue',
    /\bknown (?:issue|bug|problem|outage)\b|\ban outage\b|\bis (?:this|it|there) (?:a |an )?(?:bug|outage|incident)\b/,
    1,
  ),
  c(
    'still',
    /\bstill (?:not|failing|broken|crashing|happening|slow|no|seeing|getting|an issue|a problem|looping|stuck|wrong|locked|the same|timing out)\b|\bsame (?:thing|error|problem|issue|loop|crash)\b|\bhappened again\b/,
    1,
  ),
  c(
    'nothing changed',
    /\bnothing (?:has )?changed on our (?:side|end)\b|\bis this (?:intended|expected|normal|by design|a bug)\b|\b(?:makes? (?:it|them|this) )?useless\b|\bplease (?:fix|correct)\b|\brefund (?:the|us|me)\b/,
    1,
  ),
  c(
    'since when',
    /\bsince (?:last |this )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|week|weekend|yesterday|this morning|the weekend|the (?:update|upgrade|release|maintenance|migration))\b/,
    0.5,
  ),
  c('same issue', /\b(?:hit|have|has|having|seeing|see) the same (?:thing|problem|issue|crash|error)\b/, 1),
  // Using a workaround implies there is something to work around.
  c(
    'uses workaround',
    /\b(?:for now|in the meantime|meanwhile|until (?:then|it is fixed)),? (?:we|i)\b|\bas a (?:workaround|stopgap)\b|\b(?:we|i) (?:had|have) to\b.{0,60}\binstead\b/,
    1,
  ),
];

/** Text that reports a resolution, not a problem ("works now, thanks"). Such sentences are ignored. */
export const RESOLVED =
  /\b(?:works?|working) (?:now|again|fine now|perfectly now)\b|\b(?:is|are|has been|have been|was|got|all) (?:now )?(?:fixed|resolved|sorted)\b|\blooks good\b|\ball (?:set|good|sorted|done)\b|\bthat (?:worked|fixed it|did it|did the trick)\b|\bproblem solved\b|\bfound it\b/;

export type NoiseKind = 'password' | 'billing' | 'cancellation' | 'account_admin' | 'thanks' | 'how_to';

/** Cues of tickets that are not product problems, by kind. */
export const NOISE_CUES: Readonly<Record<NoiseKind, readonly Cue[]>> = {
  password: [
    c(
      'password reset',
      /\b(?:forgot|forgotten|reset|resetting|change|changed|lost|expired|new|remember)\b.{0,25}\bpassword\b|\bpassword\b.{0,20}\b(?:reset|expired|forgotten|is wrong|not accepted)\b|\breset (?:link|email)\b/,
      3,
    ),
    c(
      'unlock account',
      /\bunlock (?:my|the|our|his|her) account\b|\b(?:my|the|our) account (?:is |got |was |has been )?(?:locked|blocked|suspended)\b|\btoo many (?:login )?attempts\b/,
      3,
    ),
    c(
      '2fa device',
      /\b(?:new|lost|changed) (?:phone|device|laptop)\b.{0,40}\b(?:2fa|mfa|authenticator|password|code)\b/,
      2,
    ),
  ],
  billing: [
    c(
      'invoice copy',
      /\b(?:copy|copies) of (?:\w+ ){0,3}(?:invoices?|receipts?)\b|\b(?:send|resend|need|download) (?:me |us )?(?:a |the |our |an )?(?:invoice|receipt)s?\b/,
      2.5,
    ),
    c(
      'billing details',
      /\b(?:update|change|add|enter|correct)\b.{0,30}\b(?:billing address|vat|tax id|payment method|credit card|card details|billing (?:email|contact)|po number|company details)\b/,
      2.5,
    ),
    c(
      'pricing',
      /\b(?:annual|yearly|monthly) (?:billing|plan|pricing|subscription)\b|\bpricing\b|\bquote for\b|\bhow much (?:does|would|is)\b|\bwhat would the price\b|\bdiscount\b/,
      2,
    ),
    c(
      'payment method',
      /\bpay (?:by|via|with) (?:bank transfer|invoice|wire|purchase order|paypal|check|cheque)\b/,
      2.5,
    ),
    c(
      'which plan',
      /\b(?:which|what) plan\b|\bplan (?:do we need|includes?)\b|\bincluded in (?:our|the|which) plan\b/,
      2,
    ),
  ],
  cancellation: [
    c(
      'cancel',
      /\bcancel(?:l?ing|l?ed)? (?:our|my|the) (?:subscription|account|plan|contract|trial)\b|\bcancell?ation\b|\bnot (?:to )?auto-?renew\b|\bdo not (?:want to )?renew\b|\bclose (?:our|my) account\b/,
      3,
    ),
    c('downgrade', /\bdowngrade (?:us|our|my|to)\b|\bmove (?:us )?to a smaller plan\b/, 2.5),
  ],
  account_admin: [
    c('seats', /\b(?:add|need|buy|purchase|remove|reduce)\b.{0,15}\b(?:seats|licen[cs]es)\b/, 2.5),
    c(
      'ownership',
      /\btransfer (?:the )?(?:account )?ownership\b|\b(?:change|transfer) (?:the )?account owner\b|\bownership to\b/,
      2.5,
    ),
    c(
      'rename',
      /\brename (?:our|the|my) (?:workspace|account|organi[sz]ation|company)\b|\b(?:workspace|account) name change\b/,
      2.5,
    ),
    c(
      'user admin',
      /\b(?:invite|add|remove|deactivate|offboard) (?:a |an |the |new |our )?(?:user|teammate|colleague|member|employee|analyst)s?\b|\b(?:who|that) (?:has )?left (?:the|our) company\b|\bformer employee\b/,
      1.5,
    ),
  ],
  thanks: [
    c(
      'thank you for',
      /\bthank(?:s| you)(?: so much| very much| again)? (?:for|to) (?!.{0,40}\b(?:looking|checking|investigating|your help with|the quick)\b)/,
      1.5,
    ),
    c(
      'praise',
      /\bjust (?:wanted|want) to (?:say|let you know|thank)\b|\bkudos\b|\bgreat job\b|\bkeep up the (?:good|great) work\b|\b(?:love|loving|loves) (?:the|your|it|them)\b|\b(?:is|are|was|were) (?:great|awesome|amazing|fantastic|excellent|a hit|really helpful|very helpful|super helpful)\b|\bvery happy with\b|\bno question this time\b/,
      2,
    ),
  ],
  how_to: [
    c(
      'how do i',
      /^(?:\w+ )?(?:how (?:do|can|should|would|to|does one)|what is the (?:best|easiest|right) way|what do (?:i|we) need|is there a (?:way|guide|setting|tutorial)|is it possible|can (?:i|we)|could (?:i|we)|do you (?:have|support|offer|integrate|provide)|does (?:it|the \w+|\w+) (?:support|have|integrate|connect|allow)|which|where (?:do|can|is|are)|how long)\b/,
      1.5,
    ),
    c(
      'getting started',
      /\b(?:just|recently) signed up\b|\bgetting started\b|\bnew (?:to|user of)\b|\bfirst time using\b/,
      1,
    ),
    c('quick question', /\bquick question\b|\bgeneral question\b|\bquestion about\b/, 1),
  ],
};

/** In agent replies and internal notes: the agent confirms a product problem. */
export const AGENT_CONFIRM_CUES: readonly Cue[] = [
  c(
    'known bug',
    /\bknown (?:issue|bug|problem|limitation)\b|\b(?:tracked|logged|filed|raised|confirmed|classified) (?:it |this )?as (?:a |an )?(?:bug|defect|incident|security bug)\b|\bexisting bug\b/,
    2.5,
  ),
  c(
    'reproduced',
    /\b(?:able to |could |managed to |was able to )?reproduc(?:e|ed)\b|\brepro(?:duced)? confirmed\b|\bconfirmed with engineering\b|\bi can confirm\b/,
    2,
  ),
  c(
    'escalated',
    /\bescalat(?:e|ed|ing|ion)\b|\b(?:raised|passed|forwarded|sent|linked|shared) (?:this |it |your (?:ticket|case|report) )?(?:with|to) (?:our |the )?(?:engineering|engineers|developers|dev team|product team|identity team|api team|mobile team|dashboards team|\w+ team)\b|\blinked (?:your ticket |this )?to (?:the )?(?:existing|engineering|jira)\b/,
    1.5,
  ),
  c(
    'engineering aware',
    /\b(?:our |the )?(?:engineers|engineering|developers|dev team) (?:are|is|have|has|found|say|says)\b|\bworking on a fix\b|\ba fix (?:is|has been|for|will|was)\b|\bfix (?:has been |was )?(?:deployed|released|shipped|rolled out)\b|\bfixed version\b|\bhotfix\b|\bpatch\b/,
    1.5,
  ),
  c(
    'apology',
    /\b(?:sorry|apologi[sz]e) (?:about|for) (?:the|this|that) (?:trouble|inconvenience|issue|problem|lockout|outage|bug|crash|disruption|confusion)\b/,
    1,
  ),
  c(
    'incident',
    /\bincident\b|\boutage\b|\bsome (?:accounts|workspaces|customers|users)\b|\bthe same bug\b|\bsame (?:bug|issue|problem) as\b|\banother .{0,40}\bticket\b/,
    1,
  ),
  c('jira key', /\b[a-z]{2,6}-\d{2,6}\b/, 1),
];

export const AGENT_FEATURE_CUES: readonly Cue[] = [
  c(
    'feature request',
    /\bfeature request\b|\badded your vote\b|\b(?:on|to) (?:the|our) (?:roadmap|product board|backlog|wishlist)\b|\bvote for\b|\byour (?:suggestion|idea|use case|feedback)\b|\bthanks for the (?:suggestion|idea|feedback)\b|\bgreat idea\b/,
    2.5,
  ),
  c(
    'not available',
    /\b(?:is not|is currently not|not currently|not yet) (?:available|supported|possible)\b|\b(?:does not|do not|can not) (?:currently |yet )?(?:support|offer)\b|\bnot (?:available|possible|supported) (?:today|yet|at the moment|right now|currently)\b/,
    2,
  ),
];

export const AGENT_DOC_CUES: readonly Cue[] = [
  c(
    'docs update',
    /\b(?:update|updated|updating|fix|fixed|correct|corrected|improve) (?:the |our )?(?:docs|documentation|help (?:center|article)|guide|api reference)\b|\b(?:docs|documentation|help article|guide) (?:is|was|are|were) (?:wrong|outdated|out of date|incorrect|missing)\b/,
    2.5,
  ),
];

/** An agent answering a how-to question (the product already does it). */
export const AGENT_HOWTO_CUES: readonly Cue[] = [
  c(
    'instructions',
    /\b(?:you can|you will find|you'll find|you find|just|simply) (?:\w+ ){0,6}(?:under|in|from|via) (?:settings|the \w+ menu|the menu|the top|the widget|share|admin|account)\b|\b(?:open|go to|click|choose|select|navigate to|head to) (?:the |"|'|settings|share)\b/,
    1.5,
  ),
  c(
    'help article',
    /\b(?:help (?:center|centre) article|help article|our (?:guide|getting started guide|docs) (?:walks|explains|shows)|here (?:is )?(?:our|a|the|how)\b.{0,20}\b(?:help|guide|article|screenshots)|(?:i|we)(?: have)? linked the (?:relevant )?(?:help|article))\b/,
    1.5,
  ),
  c('yes supported', /^\W*yes\b|\bis (?:supported|included|available) (?:from|on|in|with)\b|\bwe have a native\b/, 1),
  c(
    'done for you',
    /\b(?:i|we)(?: have)? (?:unlocked|reset|sent|added|updated|renamed|transferred|scheduled|attached|issued|processed)\b|\bdone!/,
    1,
  ),
];

/** Severity cues (customer text; agent text may add `critical`/`high` evidence at half weight). */
export const SEVERITY_CUES = {
  money: [
    c('double charge', TYPE_CUES.bug.find((x) => x.id === 'double charge')?.re as RegExp, 3),
    c(
      'refund',
      /\brefund\b|\bcharged (?:incorrectly|wrongly|the wrong|for something|after cancell?ing|even though)\b|\b(?:invoice|bill|charge|amount)s? (?:is|are|was|were) (?:wrong|incorrect)\b|\bwrong (?:amount|invoice|charge)\b|\b(?:lost|losing) (?:revenue|money|sales|orders|deals)\b/,
      3,
    ),
  ],
  security: [
    c(
      'security',
      /\bsecurity\b|\bdata (?:from|of|belonging to) (?:another|other|a different) (?:customer|company|account|tenant|workspace|organi[sz]ation)s?\b|\bcompliance\b|\bgdpr\b|\bhipaa\b|\bsoc ?2\b|\bpci\b|\bdata (?:leak|breach|exposure)\b|\b(?:exposed|leaked|leaking)\b|\bunauthori[sz]ed\b|\bprivacy (?:issue|problem|breach|concern)\b|\bpermission (?:bug|bypass|leak)\b|\bshould (?:not|never) be able to (?:see|edit|access|change|delete)\b/,
      3,
    ),
  ],
  dataLoss: [c('data loss', TYPE_CUES.data_issue.find((x) => x.id === 'data lost')?.re as RegExp, 3)],
  blocked: [
    c(
      'everyone blocked',
      /\b(?:nobody|no one|none of (?:us|our users|our team|our staff)|no users?) (?:on our team |in our company )?(?:can|is able to|could)\b|\b(?:all|every|entire|whole) (?:of )?(?:our )?(?:users|team|company|organi[sz]ation|org|staff|employees|sales team|workspace|account)\b.{0,40}\b(?:locked out|blocked|can not|unable|no access|is down|are down|can not access)\b|\b(?:locked out|blocked|can not \w+|unable to \w+)\b.{0,40}\b(?:whole|entire) (?:company|team|org|organi[sz]ation|staff)\b|\b(?:everyone|everybody) (?:is )?(?:locked out|blocked)\b|\b(?:production|prod|site|service|platform|everything) (?:is )?(?:down|offline)\b|\b(?:complete|total|full) outage\b/,
      3,
    ),
  ],
  high: [
    c(
      'blocking',
      /\bblock(?:ed|ing|er)\b|\bshow[\s-]?stopper\b|\bunusable\b|\b(?:completely|totally) (?:broken|unusable|stuck)\b|\bcan not (?:work|do (?:our|my) (?:job|work)|proceed|continue)\b|\bwe are (?:still )?stuck\b|\bno workaround\b/,
      2,
    ),
    c(
      'permission',
      /\b(?:viewers?|read[\s-]?only (?:users?|role|access|members?)|view[\s-]?only (?:users?|role|access)|view access|guests?)\b.{0,60}\b(?:can(?! not)|could(?! not)|are able to|is able to|was able to|managed to|changed|deleted|edited|modified|removed|saved)\b|\bnot (?:(?:seem|appear) to be )?(?:being )?enforced\b/,
      1.5,
    ),
    c(
      'total failure',
      /\bcrash(?:es|ed|ing)?\b|\bevery (?:single )?time\b|\b(?:never|not at all|at all)\b|\bstopped (?:working|posting|sending)\b|\bcompletely\b|\bkeeps? (?:crashing|failing)\b|\bforce[\s-]?clos/,
      1,
    ),
    c(
      'urgent',
      /\burgent(?:ly)?\b|\basap\b|\bas soon as possible\b|\bcritical (?:for|to) (?:us|our)\b|\bhigh priority\b/,
      1.5,
    ),
    c(
      'many users',
      /\b(?:several|many|multiple|all|most|half|lots of|a lot of|dozens of|hundreds of|\d{2,}) (?:of )?(?:our |my |the )?(?:users|people|customers|colleagues|reps|employees|team members|accounts|clients|viewers|agents|managers|sales reps|field team)\b|\b(?:affects|affecting|impacting|impacts) (?:a lot of|many|all|everyone|everybody|the whole|our whole|our entire)\b|\b(?:everyone|everybody) (?:in|on) (?:the|our|my) (?:team|company|org)\b|\b(?:several|many) people\b/,
      1.5,
    ),
    c(
      'business impact',
      /\bmonth[\s-]end\b|\bboard meeting\b|\bdeadline\b|\b(?:customer|client) (?:meeting|review|demo|call)s?\b|\bmissed (?:a|an|the)\b.{0,20}\b(?:alert|deadline|sla|drop)\b|\bon[\s-]call\b|\bour (?:customers|clients) (?:are|can not|see)\b/,
      1,
    ),
  ],
  agentCritical: [
    c(
      'agent critical',
      /\bsecurity (?:bug|issue|escalation|incident|vulnerability|problem)\b|\bdata loss\b|\b(?:captured|charged|billed) twice\b|\bduplicate (?:charge|capture|payment)s?\b|\bdouble charges?\b|\b(?:issued|processed) a refund\b|\brefund (?:for|of) the (?:duplicate|extra|second)\b/,
      3,
    ),
  ],
  agentHigh: [
    c(
      'agent urgent',
      /\b(?:as|is) (?:urgent|a priority|high priority|p1|sev ?1)\b|\bsecurity (?:bug|escalation|issue)\b|\bincident\b/,
      1.5,
    ),
  ],
  cosmetic: [
    c(
      'cosmetic',
      /\bcosmetic\b|\btypos?\b|\bmisspell\w*|\bspelling\b|\balignment\b|\bmisaligned\b|\boverlap(?:s|ping)?\b|\bpixel\w*|\b(?:font|colou?r)s? (?:is|are|looks?) (?:wrong|off|odd|weird)\b|\blooks? (?:odd|weird|off|ugly)\b|\bminor (?:issue|bug|thing|glitch|annoyance)\b|\bnot a big deal\b|\blow priority\b/,
      2,
    ),
  ],
  workaround: [
    c('workaround', /\bwork[\s-]?arounds?\b|\bstop[\s-]?gap\b|\bas a temporary (?:fix|solution|measure)\b/, 2),
    c(
      'for now we',
      /\b(?:for now|in the meantime|meanwhile|temporarily|until then|for the time being),? (?:we|i)\b|\b(?:we|i) (?:use|do|export|send|work|copy|run) .{0,40}\bfor now\b|\b(?:we|i) (?:had|have) to\b.{0,60}\b(?:instead|for now|in the meantime|as a)\b|\b(?:works?|worked) (?:fine |ok )?(?:if|when) (?:we|i|you)\b|\b(?:we|i) (?:can|could) still\b|\b(?:we are|we have been|i am|i have been) (?:using|doing|exporting|sending) .{0,40}\binstead\b/,
      2,
    ),
  ],
};

/** Agent offers a workaround ("as a workaround, …"). */
export const AGENT_WORKAROUND_CUES: readonly Cue[] = [
  c(
    'agent workaround',
    /\b(?:as a |temporary |possible )?work[\s-]?around\b|\bin the meantime,? (?:you|please)\b|\bwhile we (?:work on|investigate|look into)\b.{0,80}\b(?:you can|could you|please|is a)\b/,
    1,
  ),
];

/** Sentences that switch topic ("Separately, …", "Also unrelated, …"): candidates for a second issue. */
export const TOPIC_SWITCH =
  /^(?:\W*)(?:also|separately|unrelated|another (?:thing|issue|problem)|one more thing|on top of that|in addition|additionally|by the way|btw|p\.?s\.?|oh,? and|and another)\b|\b(?:unrelated|separate (?:issue|problem|thing)|another ticket|a separate headache)\b/;

/** Platform values match the analysis port's enum: web, ios, android, desktop, api (first match wins). */
export const PLATFORM_CUES: ReadonlyArray<['web' | 'ios' | 'android' | 'desktop' | 'api', RegExp]> = [
  ['android', /\bandroid\b|\bpixel \d|\bgalaxy\b|\boneplus\b|\bgoogle play\b/],
  ['ios', /\bios\b|\biphone\b|\bipad\b|\bapp store\b/],
  ['api', /\bapi\b|\bwebhooks?\b|\bendpoints?\b|\bsdk\b/],
  ['desktop', /\bdesktop (?:app|client|application)\b|\b(?:windows|mac|macos) (?:app|client|application)\b/],
  ['web', /\bchrome\b|\bfirefox\b|\bsafari\b|\bedge\b|\bbrowsers?\b|\bweb app\b|\bweb version\b|\bwebsite\b/],
];

/** Phrases that describe consequences for the customer's business (for `businessImpact`). */
export const IMPACT_CUES: readonly Cue[] = [
  c(
    'impact',
    /\b(?:finance|sales|ops|on[\s-]call|leadership|executives?|managers|customers|clients|board|field) (?:team|meeting|review)?\b.{0,60}\b(?:need|needs|depend|depends|rely|relies|use|uses|asking|missed|can not)\b|\bmonth[\s-]end\b|\bdeadline\b|\brenewal\b|\bblock(?:ing|ed|s)\b|\bwast(?:e|es|ing)\b|\b(?:lost|losing|missed) (?:revenue|sales|deals|orders)\b|\bcompliance\b|\bembarrassing\b|\blosing trust\b|\bhard to trust\b|\bsave (?:my|our) team\b|\bevaluating other tools\b/,
    1,
  ),
];

/** A question sentence (ends with `?` or starts like one). */
export const QUESTION_START =
  /^(?:\W*)(?:how|where|what|which|when|why|who|is|are|can|could|do|does|did|would|will|should|any)\b/;
