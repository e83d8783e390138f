import { AlertMessage, KIND_LABEL } from './alert-message';

const EMOJI = {
  emerging: ':new:',
  spike: ':chart_with_upwards_trend:',
  critical: ':rotating_light:',
  regression: ':repeat:',
};

/** Slack's mrkdwn control characters (https://api.slack.com/reference/surfaces/formatting#escaping). */
export const slackEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * The Block Kit message of an incoming webhook: header (kind and cluster name), what triggered it, counts and trend,
 * the top verbatim quote, the affected customers, and a button to the cluster in the console.
 */
export function slackPayload(m: AlertMessage): Record<string, unknown> {
  const title = `${KIND_LABEL[m.kind]}: ${m.clusterName}`;
  const blocks: Array<Record<string, unknown>> = [
    { type: 'header', text: { type: 'plain_text', text: cut(`${EMOJI[m.kind]} ${title}`, 150), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: cut(slackEscape(m.headline), 3000) } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Issues*\n${m.counts.issues} (${m.counts.tickets} tickets)` },
        { type: 'mrkdwn', text: `*Last 7 days*\n${m.counts.last7d} (prior 7 days: ${m.counts.prior7d})` },
        { type: 'mrkdwn', text: `*Trend*\n${slackEscape(m.trend)}` },
        { type: 'mrkdwn', text: `*Customers affected*\n${m.uniqueCustomers}` },
      ],
    },
  ];
  if (m.quote)
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: cut(`> ${slackEscape(m.quote).replace(/\n/g, '\n> ')}`, 3000) },
    });
  if (m.customers.length)
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: cut(`Affected: ${slackEscape(m.customers.join(', '))}`, 3000) }],
    });
  blocks.push(
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Open in console' },
          url: m.url,
          action_id: 'open_cluster',
        },
        ...(m.externalUrl
          ? [
              {
                type: 'button',
                text: { type: 'plain_text', text: 'Open tracker issue' },
                url: m.externalUrl,
                action_id: 'open_tracker_issue',
              },
            ]
          : []),
      ],
    },
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `kind: ${m.kind} · cluster: ${m.clusterId} · <${m.url}|console>` }],
    },
  );
  return { text: cut(`${title} — ${m.headline}`, 3000), blocks, unfurl_links: false };
}
