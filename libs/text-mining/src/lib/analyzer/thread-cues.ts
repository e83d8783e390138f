/**
 * Cue phrases of the local analyzer that are not about the customer's problem itself: tickets that are not product
 * problems, support's replies and notes, severity, workarounds, topic switches, platforms and impact. Patterns run
 * on the cue form (see `cue-form.ts`); weights are rough evidence strengths: 1 weak, 2 clear, 3 unambiguous.
 */
import { Cue, cue as c } from './cue-form';
import { TYPE_CUES } from './type-cues';

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
