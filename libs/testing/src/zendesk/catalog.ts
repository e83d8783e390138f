/**
 * What the generated account talks about: "Acme Analytics", a B2B SaaS analytics product
 * (dashboards, reports, exports, integrations, API/webhooks, a mobile app).
 *
 * Text is produced from templates: `[a|b|c]` picks one alternative, `{slot}` is replaced by a
 * per-ticket value (see {@link SLOT_POOLS}). Each planted problem has several pools (subjects,
 * symptoms, details, impacts, follow-ups, agent replies, internal notes) that are combined per
 * ticket, so the same problem is worded many different ways.
 */

export type ProductArea =
  | 'billing'
  | 'sso_login'
  | 'data_export'
  | 'integrations'
  | 'dashboards'
  | 'notifications'
  | 'mobile_app'
  | 'api_webhooks'
  | 'permissions'
  | 'performance'
  | 'account';

export type PlantedIssueType =
  | 'bug'
  | 'friction'
  | 'ux_confusion'
  | 'feature_request'
  | 'documentation_gap'
  | 'data_issue';

export type PlantedSeverity = 'critical' | 'high' | 'medium' | 'low';

/** How a problem's tickets are spread over the 120 days of history. */
export type Timeline =
  | { kind: 'steady' }
  /** Only in the last `days` days, denser towards today (an emerging problem). */
  | { kind: 'spike'; days: number }
  /** Over the last `days` days, density growing linearly towards today. */
  | { kind: 'rising'; days: number };

export interface PlantedProblemSpec {
  id: string;
  title: string;
  area: ProductArea;
  issueType: PlantedIssueType;
  severity: PlantedSeverity;
  /** Relative share among problem tickets. */
  weight: number;
  timeline: Timeline;
  /** Words a good cluster name/summary would likely contain (for loose scoring in tests). */
  keywords: string[];
  tags: string[];
  priorities: Array<'urgent' | 'high' | 'normal' | 'low'>;
  subjects: string[];
  symptoms: string[];
  details: string[];
  impacts: string[];
  followUps: string[];
  agentReplies: string[];
  internalNotes: string[];
  /** A short sentence used when another ticket mentions this problem in passing. */
  aside: string[];
  /** The engineering ticket key agents mention in internal notes. */
  jira: string;
  /** Replace the generic closing questions / thank-yous (e.g. for feature requests). */
  asks?: string[];
  closings?: string[];
}

export interface NoiseTopic {
  subjects: string[];
  /** Whole descriptions (between greeting and sign-off). */
  bodies: string[];
  /** Agent answers for this topic; the kind's generic `agentReplies` are used otherwise. */
  replies?: string[];
}

export interface NoiseSpec {
  id: string;
  title: string;
  area: ProductArea;
  weight: number;
  tags: string[];
  topics: NoiseTopic[];
  followUps: string[];
  /** Generic answers (used for follow-up replies, or when a topic has none). */
  agentReplies: string[];
  /** Short comments by the requester closing the conversation. */
  closings: string[];
}

export const PRODUCT_NAME = 'Acme Analytics';

export const PLANTED_PROBLEMS: readonly PlantedProblemSpec[] = [
  {
    id: 'csv-export-timeout',
    jira: 'ENG-4821',
    title: 'CSV export times out for large reports',
    area: 'data_export',
    issueType: 'bug',
    severity: 'high',
    weight: 1.3,
    timeline: { kind: 'steady' },
    keywords: ['csv', 'export', 'timeout', 'large', 'report'],
    tags: ['export', 'csv', 'timeout'],
    priorities: ['high', 'normal', 'normal', 'urgent'],
    subjects: [
      'CSV export times out',
      'Export to CSV fails on big report',
      '[Can\'t|Cannot|Unable to] export {report} to CSV',
      'CSV download never finishes',
      'Export keeps failing with a timeout error',
      'Large report export stuck at "Preparing file"',
      'Gateway timeout when exporting data',
      'CSV export broken for reports over {rows} rows',
      'export not working',
    ],
    symptoms: [
      'When I try to export the {report} report to CSV it spins for a few minutes and then fails with "Request timed out".',
      'Exporting {report} as CSV [never finishes|never completes|just hangs]. After about {minutes} minutes I get a 504 Gateway Timeout page.',
      'Our CSV exports have started timing out. Small reports are fine, but anything with more than {rows} rows [dies|fails|errors out] halfway.',
      'The export button shows "Preparing your file..." forever and then the download fails with a timeout.',
      'I click Export > CSV on {report} and after a long wait I get "Something went wrong, please try again". Retrying does not help.',
      'Big exports just don\'t work anymore. The file never arrives in my inbox and the in-app download errors out with a timeout.',
      'Whenever the report is large ({rows}+ rows) the CSV export fails. If I filter it down to one month it works.',
      'csv export of {report} times out every single time, tried {browser} and another browser, same thing',
    ],
    details: [
      'The report covers the last 12 months and has roughly {rows} rows.',
      'We tried at different times of day, including early morning when nobody else is using it.',
      'Splitting the export into smaller date ranges works, but it takes forever to stitch the files together.',
      'This used to work fine a couple of months ago with the same report.',
      'The XLSX option fails the same way.',
      'Browser console shows a 504 on the /exports endpoint.',
    ],
    impacts: [
      'Our finance team needs this file for month-end close.',
      'We feed this export into our data warehouse every week, so this is blocking our reporting.',
      'I have a board meeting on {day} and need this data.',
      'Several people on my team hit the same thing.',
    ],
    followUps: [
      'Tried again this morning with a smaller date range and it still timed out at {minutes} minutes.',
      'Any news on the export issue? We are still stuck.',
      'The workaround of exporting month by month is painful. Is there a fix planned?',
      'Still failing today. Could the timeout limit be increased for our account?',
      'FYI the scheduled email export also never arrives for this report.',
    ],
    agentReplies: [
      'Thanks for the details, {first}. I was able to reproduce the timeout with a report of similar size. As a workaround, could you try exporting in smaller date ranges while we look into it?',
      'Hi {first}, our engineers are aware that large CSV exports can time out. I\'ve linked your ticket to the existing bug so you\'ll be updated when a fix ships.',
      'Sorry for the trouble! Exports over roughly 200k rows are currently hitting a processing limit. The team is working on moving exports to a background job.',
      'Could you share the report URL and the approximate time of your last attempt? That helps us find the failing export in our logs.',
    ],
    internalNotes: [
      'Another export timeout - linked to {jira}. Export worker hits the 120s gateway limit for large reports.',
      'Repro confirmed on {org}\'s report, ~{rows} rows. Same as the other CSV timeout tickets this month.',
      'Engineering says the async export rewrite is scheduled, no ETA yet. Giving the customer the date-range workaround.',
    ],
    aside: [
      'Separately, our big CSV exports keep timing out too.',
      'Also unrelated, but exporting large reports to CSV still fails with a timeout.',
    ],
  },
  {
    id: 'saml-sso-loop',
    jira: 'ID-143',
    title: 'SAML SSO login loop after IdP certificate rotation',
    area: 'sso_login',
    issueType: 'bug',
    severity: 'critical',
    weight: 0.8,
    timeline: { kind: 'steady' },
    keywords: ['saml', 'sso', 'login', 'loop', 'certificate'],
    tags: ['sso', 'saml', 'login'],
    priorities: ['urgent', 'high', 'high'],
    subjects: [
      'SSO login loop',
      'Users stuck in a redirect loop when logging in with SAML',
      'Cannot log in via {idp} after certificate rotation',
      'URGENT: nobody can sign in with SSO',
      'SAML login keeps redirecting back to the login page',
      'Single sign-on broken since we renewed our IdP certificate',
      'infinite redirect on sso',
    ],
    symptoms: [
      'Since we rotated the signing certificate in {idp}, our users get stuck in a login loop: they authenticate, get sent back to Acme, and then straight back to {idp} again.',
      'Nobody on our team can log in with SSO this morning. The browser bounces between {idp} and your login page until it gives up with "too many redirects".',
      'After updating the SAML certificate on our side, logging in via SSO just loops. We uploaded the new certificate in Settings > Security but it made no difference.',
      'SSO is broken for us. {idp} says the login succeeded, but {product} sends us back to the sign-in screen over and over.',
      'We renewed the x509 certificate for our {idp} app yesterday and since then the SAML login redirects endlessly.',
      'Our users are caught in a redirect loop between the IdP and {product} when signing in with SAML.',
    ],
    details: [
      'The new certificate fingerprint is uploaded and shows as active in your admin panel.',
      'Password login still works for the account owner, but SSO is enforced for everyone else.',
      'We checked the SAML response with a browser extension and the assertion looks valid and signed with the new cert.',
      'Clearing cookies or using an incognito window does not help.',
      'We have about {seats} users on SSO.',
    ],
    impacts: [
      'This is blocking our whole company from accessing dashboards.',
      'We have a customer review in two hours and nobody can log in.',
      'Please treat this as urgent, our entire sales team is locked out.',
      'Our admins had to disable SSO enforcement as a stopgap, which our security team is not happy about.',
    ],
    followUps: [
      'Still looping for everyone. Is there an old certificate cached somewhere on your side?',
      'Any update? We are still locked out of SSO.',
      'We tried re-uploading the certificate metadata XML, same loop.',
      'Some users can get in after 5-6 attempts, others never.',
    ],
    agentReplies: [
      'Hi {first}, thanks for flagging this. We have seen a few accounts where the old IdP certificate stays cached after rotation. I\'ve escalated to our identity team to clear it for your account.',
      'Sorry about the lockout! Could you temporarily allow password login for your admins while we investigate? I\'ve raised this with engineering as urgent.',
      'Thanks for your patience. Engineering found that the SAML validator was still using the previous certificate. A fix for your account has been applied - could you try signing in again?',
      'Could you send us a SAML trace (the SAMLResponse value) from a failed attempt? Please remove any personal data before attaching.',
    ],
    internalNotes: [
      'Cert rotation loop again - cached fingerprint not invalidated. Escalated to identity team, see {jira}.',
      'Manually flushed the SAML cert cache for {org}. This is the same bug as the other SSO loop tickets.',
      'Customer on {idp}. Old fingerprint still in the sso_configs cache table.',
    ],
    aside: [
      'Also, our SSO started looping after we rotated the IdP certificate, which is a separate headache.',
    ],
  },
  {
    id: 'duplicate-upgrade-charge',
    jira: 'BILL-377',
    title: 'Duplicate charge on plan upgrade',
    area: 'billing',
    issueType: 'bug',
    severity: 'critical',
    weight: 0.7,
    timeline: { kind: 'steady' },
    keywords: ['charged', 'twice', 'upgrade', 'duplicate', 'billing'],
    tags: ['billing', 'charge', 'upgrade'],
    priorities: ['high', 'urgent', 'normal'],
    subjects: [
      'Charged twice after upgrading',
      'Double charge on our card',
      'Duplicate payment for {newplan} upgrade',
      'We were billed two times for the same upgrade',
      'Refund request - duplicate charge',
      'Why was my card charged twice?',
      'billing error after plan change',
    ],
    symptoms: [
      'We upgraded from {plan} to {newplan} yesterday and our card was charged {amount} twice within a minute.',
      'After upgrading our plan, I see two identical charges of {amount} on our company card.',
      'Our finance team noticed a duplicate charge: two payments of {amount} for the {newplan} upgrade on the same day.',
      'I clicked Upgrade once, the page hung, and now we have been billed twice for the upgrade.',
      'When we moved to the {newplan} plan we got two invoices ({invoice} and another one) for the same amount.',
      'There are two charges for the plan upgrade on our statement, both {amount}. We only upgraded once.',
    ],
    details: [
      'The first attempt showed a spinner for a long time, so maybe the payment went through twice?',
      'Both charges show as settled, not pending.',
      'Our billing page in {product} only lists one upgrade.',
      'The card is a corporate card so we need a proper refund and a corrected invoice.',
    ],
    impacts: [
      'Please refund the duplicate charge as soon as possible.',
      'Our accounts payable team needs a corrected invoice before month end.',
      'This pushed our card over its limit.',
    ],
    followUps: [
      'Just checking in on the refund for the duplicate charge.',
      'It has been a week and the refund has not shown up yet.',
      'Can you also send the credit note for the second invoice?',
      'Thank you - I can see the refund is pending now.',
    ],
    agentReplies: [
      'I\'m really sorry about that, {first}. I can confirm two charges of {amount} were captured for the upgrade. I\'ve issued a refund for the duplicate; it should appear in 5-10 business days.',
      'Thanks for reporting this. A small number of upgrades were charged twice when the checkout page was retried. Billing will refund the extra charge and void the duplicate invoice.',
      'Hi {first}, I\'ve forwarded this to our billing team to refund the second payment and send a credit note.',
    ],
    internalNotes: [
      'Duplicate capture on upgrade again - payment retried after checkout timeout. Refunded, linked to {jira}.',
      'Billing: idempotency key missing on the upgrade flow. Another double charge, see {jira}.',
      'Refund issued for {amount}. Customer asked for credit note for invoice {invoice}.',
    ],
    aside: ['On top of that, we were charged twice when we upgraded our plan.'],
  },
  {
    id: 'slack-notifications-stopped',
    jira: 'INT-219',
    title: 'Slack integration stops posting notifications',
    area: 'integrations',
    issueType: 'bug',
    severity: 'high',
    weight: 1.0,
    timeline: { kind: 'spike', days: 10 },
    keywords: ['slack', 'notifications', 'alerts', 'integration', 'posting'],
    tags: ['slack', 'integration', 'notifications'],
    priorities: ['high', 'normal', 'normal'],
    subjects: [
      'Slack alerts stopped',
      'Slack integration not posting anymore',
      'No more notifications in {channel}',
      'Our Slack alerts went silent',
      'Slack app stopped sending messages',
      'alerts not showing up in slack',
      'Slack notifications missing {when}',
    ],
    symptoms: [
      'Our Slack integration stopped posting alerts to {channel} {when}. Nothing changed on our side.',
      'We rely on the Slack notifications for threshold alerts, and they have silently stopped. The integration page still says "Connected".',
      'Alerts are firing in {product} (I can see them in the alert history) but nothing shows up in Slack anymore.',
      'Since {when} none of our scheduled digests or alerts are delivered to Slack. Email notifications still work.',
      'The Slack app is connected but no messages get posted. Sending a test message from the integration settings does nothing.',
      'our slack channel {channel} used to get a message every time a KPI dropped, but it has been completely quiet {when}',
    ],
    details: [
      'We tried disconnecting and reconnecting the Slack workspace. The test message worked once and then it stopped again.',
      'The Acme bot is still a member of the channel.',
      'We have three alert rules pointing at Slack and none of them post.',
      'Our Slack admin confirmed nothing was revoked on their side.',
    ],
    impacts: [
      'We missed a revenue drop alert because of this.',
      'The on-call team depends on these alerts.',
      'This is how our managers get their daily numbers, so people are asking me about it.',
    ],
    followUps: [
      'Still no Slack messages. Is this a known outage?',
      'Reconnected again today, still nothing posting to {channel}.',
      'A colleague at another company said their Slack alerts stopped too - is this widespread?',
      'Any ETA? We had to set up email alerts as a workaround.',
    ],
    agentReplies: [
      'Thanks for letting us know, {first}. We are investigating reports of Slack notifications not being delivered and will update you as soon as we know more.',
      'Hi {first}, this is a known issue since our recent notification service release: Slack messages are being dropped for some workspaces. Engineering is working on a fix.',
      'Good news - a fix for Slack delivery has been deployed. Could you send a test notification and confirm it arrives?',
      'As a temporary workaround, email or webhook notifications are still delivered normally.',
    ],
    internalNotes: [
      'Slack delivery failures - token refresh broke in the notifications v3 rollout. Linked to {jira}.',
      'Another Slack silence ticket, that\'s a lot this week. Adding to the incident.',
      'Checked logs: Slack API returns invalid_auth after token rotation, we don\'t refresh. {jira}.',
    ],
    aside: ['By the way, our Slack alerts also stopped posting a few days ago.'],
  },
  {
    id: 'android14-dashboard-crash',
    jira: 'MOB-812',
    title: 'Mobile app crashes on Android 14 when opening dashboards',
    area: 'mobile_app',
    issueType: 'bug',
    severity: 'high',
    weight: 1.1,
    timeline: { kind: 'spike', days: 14 },
    keywords: ['android', 'app', 'crash', 'dashboard', 'mobile'],
    tags: ['mobile', 'android', 'crash'],
    priorities: ['normal', 'high', 'normal'],
    subjects: [
      'App crashes when opening a dashboard',
      'Android app keeps crashing',
      'Mobile app closes immediately on {device}',
      'Crash on Android 14 after update',
      'Cannot open dashboards on my phone',
      'app crash',
      'Acme app force closes since version {appver}',
    ],
    symptoms: [
      'Since the latest update ({appver}) the Android app crashes as soon as I tap on any dashboard.',
      'On my {device} (Android 14) the app opens fine but closes instantly when I open a dashboard.',
      'The mobile app force closes whenever I try to view {dashboard}. The list of dashboards loads, tapping one kills the app.',
      'Several of our sales reps on Android phones report the app crashing when they open dashboards. iPhone users are fine.',
      'app crashes every time i open a dashboard on my {device}, reinstalled it twice already',
      'After updating to {appver}, opening any dashboard on Android 14 shows a white screen for a second and then the app closes.',
    ],
    details: [
      'I already cleared the cache and reinstalled the app.',
      'It works on my old phone which is still on Android 13.',
      'The web version works fine in the mobile browser.',
      'Phone: {device}, Android 14, app {appver}.',
    ],
    impacts: [
      'Our field team uses the app to check numbers before customer meetings.',
      'I mostly use the app on the go, so this is really annoying.',
      'Half our reps are on Android, so this affects a lot of people.',
    ],
    followUps: [
      'Still crashing on {appver}. Is a fix coming?',
      'Another colleague with a Pixel has the same crash now.',
      'I sent a crash report from the app just now.',
      'Is there a way to install the previous version in the meantime?',
    ],
    agentReplies: [
      'Thanks for the report, {first}. We\'re aware of a crash affecting Android 14 devices when opening dashboards in version {appver}. A fix is in review with Google Play.',
      'Sorry about that! While we work on a fix, the mobile web version at app.acme-analytics.example is a workaround.',
      'Hi {first}, could you tell us your phone model and Android version? That helps us match it to the crash reports.',
      'The fixed version is now rolling out on Google Play. Please update the app and let us know if the crash continues.',
    ],
    internalNotes: [
      'Android 14 crash in the chart renderer (WebView) since {appver}. Linked to {jira}.',
      'Crashlytics shows the same stack trace for this user. Mobile team is on it.',
      'Another Android 14 dashboard crash, adding to the spike count.',
    ],
    aside: ['Also the Android app crashes whenever I open a dashboard on my phone.'],
  },
  {
    id: 'webhook-out-of-order',
    jira: 'API-530',
    title: 'Webhook retries deliver events out of order',
    area: 'api_webhooks',
    issueType: 'bug',
    severity: 'medium',
    weight: 0.6,
    timeline: { kind: 'steady' },
    keywords: ['webhook', 'order', 'retry', 'events', 'sequence'],
    tags: ['api', 'webhooks'],
    priorities: ['normal', 'high', 'normal'],
    subjects: [
      'Webhook events arrive out of order',
      'Webhooks delivered in the wrong sequence after retries',
      'Out-of-order {webhookEvent} webhooks',
      'Retried webhooks break our event ordering',
      'webhook ordering problem',
    ],
    symptoms: [
      'When our endpoint is briefly unavailable, your webhook retries deliver older {webhookEvent} events after newer ones, so our system ends up with stale data.',
      'We receive webhook events out of order. A retried {webhookEvent} event from an hour ago arrived after the latest one and overwrote it.',
      'Webhook retries do not preserve ordering. We get event 2 before event 1 whenever the first delivery fails.',
      'Our integration processes {webhookEvent} webhooks in the order they arrive, and after retries the order is wrong, which corrupts our state.',
      'Events sent via webhook arrive in a different order than they happened when a delivery is retried.',
    ],
    details: [
      'The payload has no sequence number, only created_at with second precision, so we cannot reorder reliably on our side.',
      'Our endpoint returned a 503 for about 30 seconds during a deploy, and that is when it happened.',
      'We are on API version 2 with HMAC signatures enabled.',
      'I can share the delivery ids from the webhook log if that helps.',
    ],
    impacts: [
      'Our downstream dashboards showed wrong totals for a day because of this.',
      'We have to run a nightly full reconciliation to work around it.',
      'This makes the webhooks hard to trust for anything transactional.',
    ],
    followUps: [
      'Is there any plan to add a sequence number or ordering guarantee?',
      'Happened again last night during our maintenance window.',
      'Could you at least document that retries can be out of order?',
    ],
    agentReplies: [
      'Thanks for the detailed write-up, {first}. Retries are currently sent from a separate queue, so ordering is not guaranteed. I\'ve shared your case with the API team.',
      'Hi {first}, we recommend using the event id and the updated_at of the resource to discard stale events. I\'ve also logged a request for a sequence field.',
      'I\'ve confirmed with engineering that retried deliveries can overtake newer events. This is tracked as a bug.',
    ],
    internalNotes: [
      'Retry queue is separate from the live queue, so retries overtake. Linked to {jira}.',
      'Same ordering complaint as before - customer wants a monotonic sequence number.',
    ],
    aside: ['And our webhook retries keep arriving out of order, but that is for another ticket.'],
  },
  {
    id: 'date-filter-utc',
    jira: 'DASH-990',
    title: 'Date filter uses UTC instead of account timezone',
    area: 'dashboards',
    issueType: 'data_issue',
    severity: 'medium',
    weight: 0.9,
    timeline: { kind: 'steady' },
    keywords: ['timezone', 'utc', 'date', 'filter', 'numbers'],
    tags: ['dashboards', 'timezone', 'filters'],
    priorities: ['normal', 'normal', 'low', 'high'],
    subjects: [
      'Date filter is off by a few hours',
      'Dashboard numbers don\'t match - timezone issue?',
      '"Yesterday" filter shows the wrong day',
      'Reports ignore our account timezone',
      'Daily totals wrong because of UTC',
      'Date range filter using UTC',
    ],
    symptoms: [
      'Our account timezone is set to {tz}, but the "Yesterday" date filter seems to use UTC, so the numbers are shifted by several hours.',
      'The daily totals on {dashboard} don\'t match our own database. It looks like the date filter cuts days at midnight UTC instead of midnight {tz}.',
      'When I filter {report} to "Today", orders from this evening show up under tomorrow. We are in {tz}.',
      'Date filters ignore the timezone setting. I changed it to {tz} in account settings but the day boundaries are still UTC.',
      'Numbers in the dashboard are off compared to our CRM. After some digging, the date range filter is applying UTC, not our local time.',
      'the last 7 days filter starts at the wrong hour, looks like UTC instead of our timezone ({tz})',
    ],
    details: [
      'The CSV export has timestamps in UTC too, with no timezone indicator.',
      'Hovering over a data point shows the correct local time, but the filter does not.',
      'This affects every dashboard we have, not just one.',
      'We double checked the account setting and each user\'s profile timezone.',
    ],
    impacts: [
      'Our daily revenue report to leadership has been slightly wrong for weeks.',
      'Managers are comparing numbers between tools and losing trust in the dashboards.',
      'It is confusing for our team in {city}.',
    ],
    followUps: [
      'Is there a setting I am missing to make the filters use our timezone?',
      'Still seeing UTC day boundaries today.',
      'Any update? This is causing mismatched reports every morning.',
    ],
    agentReplies: [
      'Thanks for the report, {first}. You\'re right: relative date filters currently evaluate in UTC regardless of the account timezone. This is a known bug and I\'ve added your account to it.',
      'Hi {first}, as a workaround you can use a custom date range with explicit times. I know that\'s not ideal; engineering is working on timezone-aware filters.',
      'I\'ve reproduced the shift with an account in {tz}. I\'ve passed this on to the dashboards team.',
    ],
    internalNotes: [
      'Relative date filters evaluate in UTC - known bug {jira}. Customer in {tz}.',
      'Another timezone mismatch. Query builder ignores account tz for relative ranges.',
    ],
    aside: ['Also, the date filters still seem to use UTC instead of our timezone.'],
  },
  {
    id: 'scheduled-pdf-reports',
    jira: 'PROD-1207',
    asks: ['Is this on your roadmap?', 'Would you consider adding this?', 'Thanks for considering it!', 'Any plans for this?', ''],
    closings: ['Thanks, looking forward to it.', 'Great, thanks for passing it on.', 'OK, thanks. Please keep me posted.'],
    title: 'Feature request: scheduled PDF reports',
    area: 'dashboards',
    issueType: 'feature_request',
    severity: 'low',
    weight: 1.0,
    timeline: { kind: 'steady' },
    keywords: ['schedule', 'pdf', 'email', 'report', 'feature'],
    tags: ['feature_request', 'reports', 'pdf'],
    priorities: ['low', 'normal', 'low'],
    subjects: [
      'Feature request: schedule PDF reports',
      'Can we get dashboards emailed as PDF every week?',
      'Scheduled PDF export?',
      'Request: automatic weekly report by email',
      'Is it possible to schedule a PDF of a dashboard?',
      'PDF scheduling',
    ],
    symptoms: [
      'Is there a way to have {dashboard} sent as a PDF to our leadership team every Monday morning? I can only find manual PDF download.',
      'We would love the ability to schedule PDF reports. Right now someone on my team downloads the PDF and emails it by hand every week.',
      'Feature request: please add scheduled delivery of dashboards as PDF attachments.',
      'Our executives don\'t log in to {product}; they want a PDF in their inbox. Could you add scheduled PDF exports?',
      'Other tools we use can email a dashboard snapshot on a schedule. Is this on your roadmap?',
      'we need a weekly pdf of the {report} report emailed automatically, is that possible?',
    ],
    details: [
      'Ideally with a choice of daily, weekly or monthly and a list of recipients who don\'t have an {product} login.',
      'The scheduled CSV email exists, but a CSV is not something our execs will read.',
      'Being able to pick the page size (A4 vs Letter) would be nice too.',
    ],
    impacts: [
      'This would save my team an hour every week.',
      'This is one of the reasons we are evaluating other tools.',
      'Our renewal is coming up and this came up in the review.',
    ],
    followUps: [
      'Thanks! Please let me know if this gets on the roadmap.',
      'Any news on scheduled PDFs?',
      'Adding to this: our CFO asked about it again.',
    ],
    agentReplies: [
      'Thanks for the suggestion, {first}! Scheduled PDF delivery isn\'t available today. I\'ve added your vote to the feature request our product team is tracking.',
      'Hi {first}, currently you can schedule CSV emails or download a PDF manually. I\'ve passed your use case on to the product team.',
      'Great idea. I\'ve logged this as a feature request; a lot of customers have asked for it.',
    ],
    internalNotes: [
      'Another vote for scheduled PDFs. Added to the product board, {jira}.',
      'Customer is on {plan}, renewal soon - PDF scheduling was mentioned as a blocker.',
    ],
    aside: ['Unrelated, but it would be great if we could schedule dashboards as PDF by email.'],
  },
  {
    id: 'dashboard-slow-load',
    jira: 'ENG-5230',
    title: 'Dashboards with many widgets take 30+ seconds to load',
    area: 'performance',
    issueType: 'bug',
    severity: 'medium',
    weight: 0.9,
    timeline: { kind: 'rising', days: 45 },
    keywords: ['slow', 'dashboard', 'load', 'performance', 'widgets'],
    tags: ['performance', 'dashboards'],
    priorities: ['normal', 'high', 'normal'],
    subjects: [
      'Dashboards very slow to load',
      '{dashboard} takes forever to open',
      'Performance has gotten much worse',
      'Dashboard loading spinner for {seconds} seconds',
      'Slow dashboards',
      'Why is everything so slow lately?',
    ],
    symptoms: [
      'Our main dashboard with {widgets} widgets now takes around {seconds} seconds to load. It used to be a few seconds.',
      '{dashboard} has become painfully slow. Each widget shows a spinner for ages and some never load at all.',
      'Dashboards are really sluggish lately, especially the ones with lots of charts. Simple ones are fine.',
      'Loading any dashboard with more than about 15 widgets takes {seconds}+ seconds, and sometimes the widgets time out with "Query took too long".',
      'everything in the dashboards is super slow this week, {seconds} seconds to open {dashboard}',
    ],
    details: [
      'We have not added any new data sources recently.',
      'It\'s slow for everyone in the team, on different networks.',
      'The network tab shows the widget queries running one after another instead of in parallel.',
      'Reducing the date range helps a bit, but not much.',
    ],
    impacts: [
      'We present this dashboard in our weekly all-hands and it is embarrassing.',
      'People are going back to spreadsheets because of the speed.',
      'Our team wastes a lot of time waiting.',
    ],
    followUps: [
      'Still very slow today, {seconds} seconds this morning.',
      'Any progress on the performance issues?',
      'It got a bit better yesterday but it\'s slow again.',
    ],
    agentReplies: [
      'Thanks for reporting this, {first}. We\'ve seen slower load times on dashboards with many widgets since a recent change to query scheduling. Engineering is investigating.',
      'Hi {first}, could you share the dashboard link? We\'ll look at the query timings on our side.',
      'We deployed a performance improvement for widget loading today - could you check whether {dashboard} is faster now?',
    ],
    internalNotes: [
      'Widget queries are serialised since the query scheduler change. Linked to {jira}.',
      'Another slow dashboard report, {widgets} widgets. Trend is going up.',
    ],
    aside: ['Also dashboards have been really slow to load lately.'],
  },
  {
    id: 'viewer-can-edit',
    jira: 'SEC-88',
    title: 'Viewer role can edit shared dashboards',
    area: 'permissions',
    issueType: 'bug',
    severity: 'high',
    weight: 0.5,
    timeline: { kind: 'steady' },
    keywords: ['viewer', 'permissions', 'edit', 'role', 'shared'],
    tags: ['permissions', 'roles', 'security'],
    priorities: ['high', 'urgent', 'normal'],
    subjects: [
      'Viewers can edit dashboards',
      'Permission problem: read-only users changed our dashboard',
      'Viewer role is not read-only',
      'Security concern with viewer permissions',
      'Someone with view access deleted a widget',
    ],
    symptoms: [
      'Users with the Viewer role can edit shared dashboards. One of them accidentally deleted a widget from {dashboard}.',
      'We assumed Viewer meant read-only, but our viewers can move and delete charts on dashboards shared with them.',
      'I created a test user with the Viewer role and it can open the editor and save changes on a shared dashboard.',
      'A read-only user changed the filters on our company dashboard and saved it for everyone.',
      'The Viewer permission doesn\'t seem to be enforced on shared dashboards - the edit button is there and it works.',
    ],
    details: [
      'The dashboards are shared with the whole organization, not with specific people.',
      'Dashboards that are not shared seem fine.',
      'We have about {seats} viewers, mostly external contractors.',
    ],
    impacts: [
      'This is a compliance problem for us, contractors should not be able to change anything.',
      'We need to know whether viewers could also see or change data source settings.',
      'We had to unshare dashboards for now.',
    ],
    followUps: [
      'Can you confirm viewers cannot change data sources at least?',
      'Any update? We still have dashboards unshared because of this.',
      'Our security team is asking for a written statement on this.',
    ],
    agentReplies: [
      'Thank you for reporting this, {first}. I\'ve reproduced it: the Viewer role can edit dashboards shared with the whole organization. I\'ve escalated this as a security bug.',
      'Hi {first}, data source settings are protected separately, so viewers cannot change them. The dashboard edit issue is being fixed as a priority.',
      'A fix has been deployed: Viewers can no longer edit shared dashboards. Sorry for the trouble.',
    ],
    internalNotes: [
      'Viewer role edit bug on org-shared dashboards, security escalation {jira}.',
      'Permission check missing on the org-share path. Same bug as the earlier reports.',
    ],
    aside: ['Also worrying: our Viewer users seem to be able to edit shared dashboards.'],
  },
];

export const NOISE_KINDS: readonly NoiseSpec[] = [
  {
    id: 'howto',
    title: 'How-to question',
    area: 'dashboards',
    weight: 3,
    tags: ['how_to'],
    topics: [
      {
        subjects: ['How do I add a filter to a dashboard?', 'Dashboard-wide date filter?', 'Filter for all widgets'],
        bodies: [
          'How do I add a date filter that applies to all widgets on a dashboard? I can only find it per widget.',
          'Is there a way to have one filter control every chart on {dashboard}? Setting it on each widget is tedious.',
        ],
        replies: [
          'Hi {first}, great question! Open the dashboard, click "Add filter" in the top bar and choose "Apply to all widgets". Here is our help article with screenshots.',
        ],
      },
      {
        subjects: ['Question about sharing dashboards', 'Share a dashboard with a client?', 'Public link for a dashboard'],
        bodies: [
          'What is the best way to share {dashboard} with people outside our company without giving them a login?',
          'Can I send a client a read-only link to a dashboard? They don\'t have an account.',
        ],
        replies: [
          'Hi {first}, you can create a public link from Share > Public link. You can protect it with a password and revoke it at any time.',
        ],
      },
      {
        subjects: ['How to export a report to CSV?', 'Where is the export button?', 'Download report data'],
        bodies: [
          'Where do I find the option to export a report to CSV? I looked in the menu but could not find it.',
          'How can I download the raw data behind the {report} report?',
        ],
        replies: [
          'Hi {first}, open the report and use the "..." menu at the top right, then Export > CSV. Let me know if you get stuck.',
        ],
      },
      {
        subjects: ['Adding a new data source', 'Connect our Postgres database', 'Setting up a data source'],
        bodies: [
          'We just signed up and want to connect our Postgres database. Is there a guide for setting up a new data source?',
          'What do I need from our DBA to connect a MySQL database as a data source?',
        ],
        replies: [
          'Welcome aboard, {first}! Our getting started guide walks through connecting a database; you\'ll need a read-only user and our IP addresses allow-listed.',
        ],
      },
      {
        subjects: ['How can I duplicate a dashboard?', 'Copy a dashboard'],
        bodies: [
          'Is there a way to duplicate a dashboard so I can make a version for another team?',
          'I want to copy {dashboard} and change a few charts for the EMEA team. How do I do that?',
        ],
        replies: ['Hi {first}, yes - open the dashboard menu (three dots) and choose "Duplicate". The copy is private until you share it.'],
      },
      {
        subjects: ['Calculated fields - how?', 'Conversion rate metric'],
        bodies: [
          'How do I create a calculated field for conversion rate (orders divided by sessions)?',
          'Can I build a metric that divides one column by another?',
        ],
        replies: ['Hi {first}, you can add a calculated field in the data model editor: New field > Formula, then enter something like SUM(orders) / SUM(sessions).'],
      },
      {
        subjects: ['Quick question about chart colors', 'Brand colors in charts'],
        bodies: [
          'Can I change the colors of a bar chart to match our brand? I don\'t see a color picker.',
          'Is it possible to set a default color palette for all our dashboards?',
        ],
        replies: ['Hi {first}, colors are under the widget\'s Style tab, and admins can set a company palette in Settings > Branding.'],
      },
      {
        subjects: ['How do I invite a teammate?', 'Add a new user'],
        bodies: [
          'How do I invite a new teammate and give them access to only some dashboards?',
          'A new analyst joined our team. How do I add her?',
        ],
        replies: ['Hi {first}, you can invite people under Settings > Team. Invited users get an email and can pick their own password.'],
      },
      {
        subjects: ['Group by week?', 'Weekly grouping in a table'],
        bodies: ['Is it possible to group a table widget by week instead of by day?'],
        replies: ['Hi {first}, yes - click the date column in the widget editor and change the granularity from Day to Week.'],
      },
    ],
    followUps: ['Thanks, found it! One more question: can this have a default value?', 'That worked, thank you.', 'Got it. Is this also possible on the mobile app?'],
    agentReplies: [
      'Thanks for reaching out! This is explained in our help center; I\'ve linked the relevant article. Happy to jump on a call if it helps.',
    ],
    closings: ['Perfect, thanks for the quick help!', 'All good now, you can close this.', 'Thanks {agent}!'],
  },
  {
    id: 'password-reset',
    title: 'Password reset / locked account',
    area: 'sso_login',
    weight: 1.5,
    tags: ['login', 'password'],
    topics: [
      {
        subjects: ['Password reset', 'Forgot password', 'New laptop, need to reset my password'],
        bodies: [
          'I forgot my password and need to reset it. Can you help?',
          'New laptop, lost my saved passwords. How do I reset mine?',
          'I can\'t log in, it says my password is wrong. I think I changed it last month and forgot the new one.',
        ],
        replies: ['Hi {first}, I\'ve sent a new password reset link to your email address. It\'s valid for 24 hours - please check your spam folder too.'],
      },
      {
        subjects: ['Reset link not received', 'No password reset email'],
        bodies: ['I requested a password reset link twice but haven\'t received the email. Could you check?'],
        replies: ['Hi {first}, I can see the emails were sent. They sometimes land in spam or quarantine - could you check there? I\'ve sent one more just now.'],
      },
      {
        subjects: ['Locked out of my account', 'Account locked'],
        bodies: ['My account got locked after too many login attempts. Can you unlock it please?'],
        replies: ['Hi {first}, I\'ve unlocked your account. You can now log in or use "Forgot password" on the login page.'],
      },
    ],
    followUps: ['Got the email now, thanks.', 'It went to spam, all sorted.', 'Still nothing in my inbox.'],
    agentReplies: ['Thanks for reaching out. For security reasons, your account admin can also reset your password from Settings > Team.'],
    closings: ['Works now, thanks!', 'All set, thank you.', 'I\'m in. Thanks {agent}.'],
  },
  {
    id: 'billing-question',
    title: 'Billing question',
    area: 'billing',
    weight: 1.5,
    tags: ['billing', 'invoice'],
    topics: [
      {
        subjects: ['Invoice copy needed', 'Copy of invoice {invoice}'],
        bodies: ['Could you send me a copy of invoice {invoice}? Our accounting team needs it.'],
        replies: ['Hi {first}, I\'ve attached the invoice you asked for. You can also download all invoices from Settings > Billing.'],
      },
      {
        subjects: ['Change billing address', 'Update VAT number', 'Company details on invoices'],
        bodies: [
          'We moved offices. How do I update the billing address that appears on our invoices?',
          'Please add our VAT number to future invoices. Where can I enter it?',
        ],
        replies: ['Hi {first}, you can update the billing address and VAT number under Settings > Billing > Company details. Changes apply to the next invoice.'],
      },
      {
        subjects: ['Switch to annual billing?', 'Annual plan pricing'],
        bodies: ['We\'d like to switch from monthly to annual billing. What would the price be for {seats} seats?'],
        replies: ['Thanks for your interest in annual billing, {first}! I\'ve asked our billing team to send you a quote.'],
      },
      {
        subjects: ['Which plan includes SSO?', 'Plan question'],
        bodies: ['Which plan do we need for SAML single sign-on? We are on {plan} at the moment.'],
        replies: ['Hi {first}, SAML SSO is included from the Enterprise plan. I\'m happy to connect you with your account manager.'],
      },
      {
        subjects: ['Pay by bank transfer?', 'Payment method'],
        bodies: ['Can we pay by bank transfer instead of card from next year?'],
        replies: ['Hi {first}, yes - on annual plans we can invoice you for payment by bank transfer. I\'ve let our billing team know.'],
      },
    ],
    followUps: ['Thanks, received it.', 'Great, please go ahead.', 'Understood, thanks for explaining.'],
    agentReplies: ['Hi {first}, I\'ve forwarded this to our billing team, who will get back to you within one business day.'],
    closings: ['Thank you!', 'Perfect, that\'s all I needed.', 'Thanks for the help.'],
  },
  {
    id: 'thanks',
    title: 'Thank-you / positive feedback',
    area: 'account',
    weight: 0.7,
    tags: ['feedback'],
    topics: [
      {
        subjects: ['Thank you!', 'Just wanted to say thanks', 'Kudos to your team'],
        bodies: [
          'Just wanted to say thank you to {agent} for the help last week. The new dashboard is a hit with our team.',
          'Thanks for the onboarding session yesterday, it was really helpful.',
          'No question this time - just wanted to let you know we renewed and we\'re very happy with the product.',
        ],
      },
      {
        subjects: ['Great job on the new release', 'Love the new chart types'],
        bodies: ['The new chart types in the latest release are great. Our marketing team loves them.'],
      },
    ],
    followUps: ['Have a great week!'],
    agentReplies: [
      'Thank you so much, {first}! I\'ll pass this on to the team - it really makes our day.',
      'That\'s wonderful to hear, {first}. Thanks for taking the time to write!',
    ],
    closings: ['Thanks again!'],
  },
  {
    id: 'account-admin',
    title: 'Account administration request',
    area: 'account',
    weight: 1.2,
    tags: ['account', 'admin'],
    topics: [
      {
        subjects: ['Add more seats', 'Need {seats} more licenses'],
        bodies: ['We need {seats} more seats for the new team starting next month. Can you add them to our subscription?'],
        replies: ['Hi {first}, done! The extra seats are live on your account and will show on your next invoice, prorated.'],
      },
      {
        subjects: ['Change account owner', 'Transfer account ownership'],
        bodies: ['Our current account owner is leaving the company. Please transfer ownership to me.'],
        replies: ['Hi {first}, for security reasons we need the current account owner to confirm this request by replying here.'],
      },
      {
        subjects: ['Remove a user who left', 'Transfer dashboards from a departed employee'],
        bodies: [
          'A colleague left the company. How do we remove them and keep their dashboards?',
          'Please transfer all dashboards owned by a former employee to me before we deactivate their account.',
        ],
        replies: ['Hi {first}, you can do this yourself under Settings > Team: deactivating a user keeps their dashboards and lets you reassign them.'],
      },
      {
        subjects: ['Rename our workspace', 'Workspace name change'],
        bodies: ['Can you rename our workspace from "{org} Trial" to "{org}"?'],
        replies: ['Hi {first}, done! Your workspace is now called "{org}".'],
      },
    ],
    followUps: ['Thanks, I can see the change.', 'Done on our side too, thank you.', 'When will this take effect?'],
    agentReplies: ['Hi {first}, thanks for the request - I\'ll take care of it today.'],
    closings: ['Great, thank you!', 'Confirmed, thanks.', 'All done, appreciate it.'],
  },
  {
    id: 'feature-question',
    title: 'Does the product support X (yes/no question)',
    area: 'integrations',
    weight: 1,
    tags: ['question'],
    topics: [
      {
        subjects: ['Do you integrate with HubSpot?', 'HubSpot connector?'],
        bodies: ['Do you have a native HubSpot integration, or would we need to use the API?'],
        replies: ['Hi {first}, yes - we have a native HubSpot connector. You\'ll find it under Settings > Integrations.'],
      },
      {
        subjects: ['Is there an API?', 'REST API access'],
        bodies: ['Is there a REST API we can use to pull dashboard data into our own app?'],
        replies: ['Hi {first}, our REST API is documented at developer.acme-analytics.example; an admin can create an API key under Settings > API.'],
      },
      {
        subjects: ['Data retention question', 'What happens to deleted data?'],
        bodies: ['How long do you keep our data after we delete a data source?'],
        replies: ['Hi {first}, cached data is deleted within 30 days of removing a data source; backups roll off after another 30 days.'],
      },
      {
        subjects: ['Do you support Snowflake?', 'Snowflake connection'],
        bodies: ['Can {product} connect to Snowflake directly?'],
        replies: ['Hi {first}, yes - Snowflake is supported with key-pair or OAuth authentication.'],
      },
      {
        subjects: ['GDPR and data location', 'Where is our data stored?'],
        bodies: ['Where is our data stored? Our legal team needs to know for GDPR.'],
        replies: ['Good question, {first}! Our data processing addendum and the list of data locations are available in the Trust Center.'],
      },
    ],
    followUps: ['Good to know, thanks.', 'Perfect, that answers it.'],
    agentReplies: ['Hi {first}, thanks for asking - I\'ve linked the relevant help center article.'],
    closings: ['Thanks!', 'Great, we\'ll try it.'],
  },
  {
    id: 'cancellation',
    title: 'Cancellation / downgrade request',
    area: 'billing',
    weight: 0.5,
    tags: ['billing', 'cancellation'],
    topics: [
      {
        subjects: ['Cancel subscription', 'Please do not auto-renew'],
        bodies: [
          'We would like to cancel our subscription at the end of the current term. The project we used it for has ended.',
          'Please make sure our subscription does not auto-renew next month. We\'re consolidating tools.',
        ],
        replies: ['Hi {first}, sorry to see you go! I\'ve scheduled the cancellation for the end of your term; you keep full access until then.'],
      },
      {
        subjects: ['Downgrade at renewal', 'Move to a smaller plan'],
        bodies: ['Please downgrade us to the {plan} plan at our next renewal, we don\'t need the extra features anymore.'],
        replies: ['Hi {first}, the downgrade is scheduled for your renewal date. Let us know if anything changes.'],
      },
    ],
    followUps: ['Thanks for confirming.', 'Understood.'],
    agentReplies: ['Hi {first}, I\'ve passed this on to your account manager, who will confirm the details.'],
    closings: ['Thank you.', 'Thanks for all the help over the years.'],
  },
];

/** Values slots are filled from, chosen per ticket. */
export const SLOT_POOLS: Record<string, readonly string[]> = {
  report: [
    'Weekly revenue by region',
    'Q3 pipeline',
    'Churn cohort',
    'All orders 2024',
    'Marketing attribution',
    'Support SLA',
    'Inventory snapshot',
    'Customer LTV',
    'Daily active users',
    'Transactions (full history)',
  ],
  dashboard: [
    'the Executive Overview dashboard',
    'our Sales KPIs dashboard',
    'the Marketing Funnel dashboard',
    'the Ops Daily dashboard',
    'our Finance Summary dashboard',
    'the Product Usage dashboard',
  ],
  rows: ['150k', '200,000', '250k', '400k', '500,000', '1.2 million', '800k', '2M'],
  minutes: ['2', '3', '5', '10', '15'],
  seconds: ['30', '40', '45', '60', '90'],
  widgets: ['18', '22', '25', '30', '40'],
  browser: ['Chrome', 'Firefox', 'Edge', 'Safari'],
  idp: ['Okta', 'Azure AD', 'OneLogin', 'Google Workspace', 'Ping Identity', 'JumpCloud'],
  device: ['Pixel 8', 'Pixel 7a', 'Galaxy S23', 'Galaxy S24 Ultra', 'OnePlus 12', 'Galaxy A54', 'Pixel 8 Pro'],
  appver: ['5.2.0', '5.2.1'],
  amount: ['$1,188.00', '$2,400.00', '$599.00', '$3,960.00', '$840.00', '€1,450.00', '£720.00'],
  plan: ['Starter', 'Team', 'Growth', 'Professional'],
  newplan: ['Growth', 'Professional', 'Enterprise', 'Business'],
  invoice: ['INV-20431', 'INV-20977', 'INV-21154', 'INV-21503', 'INV-21888', 'INV-22010'],
  channel: ['#alerts', '#sales-numbers', '#kpi-alerts', '#ops-daily', '#revenue', '#growth-team'],
  webhookEvent: ['report.completed', 'dataset.updated', 'user.created', 'alert.triggered', 'export.finished'],
  tz: ['Europe/Berlin', 'America/New_York', 'Asia/Singapore', 'Australia/Sydney', 'America/Los_Angeles', 'Asia/Tokyo'],
  city: ['Berlin', 'New York', 'Singapore', 'Sydney', 'San Francisco', 'Tokyo', 'London', 'Toronto'],
  when: ['since Tuesday', 'since yesterday', 'since the weekend', 'since last Thursday', 'since Monday morning', 'since the start of the week'],
  day: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'],
  seats: ['12', '25', '40', '60', '150', '300'],
};

export const GREETINGS = [
  'Hi,',
  'Hello,',
  'Hi team,',
  'Hi there,',
  'Hello support,',
  'Hey,',
  'Good morning,',
  'Dear Acme support,',
  'Hi Acme team,',
  '',
  '',
];

export const ASKS = [
  'Can you look into this?',
  'Is this a known issue?',
  'Is there a workaround?',
  'Please advise.',
  'Could you help?',
  'What should we do?',
  'Please help!',
  '',
];

export const SIGNOFFS = [
  'Thanks,\n{first}',
  'Thank you,\n{name}',
  'Best regards,\n{name}\n{orgline}',
  'Cheers,\n{first}',
  'Thanks in advance!',
  'Regards,\n{name}',
  '{first}',
  '',
];

export const GENERIC_FOLLOWUPS = [
  'Any update on this?',
  'Hi, just following up on this one.',
  'Is there any news?',
  'Checking in again - this is still an issue for us.',
];

export const GENERIC_AGENT_OPENERS = ['Hi {first},', 'Hello {first},', 'Hi {first}, thanks for reaching out.', ''];

export const GENERIC_AGENT_SIGNOFFS = ['Best,\n{agent}\nAcme Analytics Support', '{agent} - Acme Support', 'Kind regards,\n{agent}', ''];

export const GENERIC_INTERNAL_NOTES = [
  'Checked the account, nothing unusual in the logs.',
  'Customer is on {plan}. Assigning to Tier 2.',
  'Asked the customer for more details.',
  'Reassigning - please take this one.',
];

export const CLOSINGS_AFTER_FIX = ['Confirmed, it works now. Thanks!', 'Looks good on our side now.', 'Thank you, all fixed.'];

/** Company-name parts for organisations (combined deterministically, unique). */
export const ORG_PREFIXES = [
  'Northwind', 'Bluefin', 'Redwood', 'Silverline', 'Brightpath', 'Ironclad', 'Evergreen', 'Harbor', 'Summit',
  'Lumen', 'Cobalt', 'Granite', 'Tidewater', 'Keystone', 'Maple', 'Orbit', 'Pioneer', 'Quarry', 'Riverstone',
  'Sapphire', 'Trailhead', 'Vantage', 'Willow', 'Zephyr', 'Atlas', 'Beacon', 'Cedar', 'Driftwood', 'Ember', 'Falcon',
];
export const ORG_SUFFIXES = [
  'Logistics', 'Health', 'Retail', 'Labs', 'Financial', 'Foods', 'Media', 'Energy', 'Software', 'Travel',
  'Manufacturing', 'Education', 'Insurance', 'Apparel', 'Robotics', 'Pharma', 'Capital', 'Studios',
];

export const FIRST_NAMES = [
  'Emma', 'Liam', 'Olivia', 'Noah', 'Ava', 'Lucas', 'Mia', 'Ethan', 'Sofia', 'Mateo', 'Hannah', 'Jonas', 'Priya',
  'Arjun', 'Chloe', 'Daniel', 'Yuki', 'Kenji', 'Fatima', 'Omar', 'Lena', 'Felix', 'Grace', 'Samuel', 'Isabel',
  'Marco', 'Zoe', 'David', 'Amara', 'Tomas', 'Nina', 'Oliver', 'Sara', 'Leon', 'Maya', 'Julian', 'Elena', 'Victor',
  'Aisha', 'Ben', 'Clara', 'Hugo', 'Ines', 'Kai', 'Laura', 'Max', 'Nora', 'Paul', 'Rosa', 'Theo',
];
export const LAST_NAMES = [
  'Smith', 'Müller', 'Garcia', 'Chen', 'Patel', 'Johnson', 'Schmidt', 'Rossi', 'Nguyen', 'Kowalski', 'Silva', 'Brown',
  'Tanaka', 'Khan', 'Dubois', 'Andersson', 'Murphy', 'Novak', 'Fischer', 'Lopez', 'Williams', 'Okafor', 'Haddad',
  'Jensen', 'Costa', 'Weber', 'Martin', 'Kim', 'Singh', 'Ivanova', 'Brennan', 'Yilmaz', 'Sato', 'Moreau', 'Larsen',
];

export const AGENT_NAMES = [
  'Alex Rivera', 'Jordan Lee', 'Sam Taylor', 'Morgan Blake', 'Casey Quinn', 'Riley Park', 'Jamie Fox',
  'Taylor Reed', 'Drew Hayes', 'Avery Stone', 'Quinn Harper', 'Robin Vale',
];

export const TIME_ZONES: ReadonlyArray<[string, string]> = [
  ['Eastern Time (US & Canada)', 'America/New_York'],
  ['Pacific Time (US & Canada)', 'America/Los_Angeles'],
  ['Berlin', 'Europe/Berlin'],
  ['London', 'Europe/London'],
  ['Singapore', 'Asia/Singapore'],
  ['Sydney', 'Australia/Sydney'],
  ['Tokyo', 'Asia/Tokyo'],
];
