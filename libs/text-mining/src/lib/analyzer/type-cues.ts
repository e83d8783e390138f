/**
 * Cues per issue type in customer text, untyped problem cues and resolutions (see `cues.ts`).
 */
import { Cue, cue as c } from './cue-form';
import { IssueType } from './types';

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
