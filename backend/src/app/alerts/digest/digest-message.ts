import { EmailContent, htmlEscape } from '../channels/email.channel';
import { slackEscape } from '../channels/slack.channel';
import { DigestClusterResponse, DigestResponse } from './digest.response';

const SECTIONS: Array<[keyof Omit<DigestResponse, 'from' | 'to'>, string]> = [
  ['top', 'Top clusters this week'],
  ['new', 'New clusters'],
  ['rising', 'Rising clusters'],
  ['regressions', 'Regressions'],
];

const day = (d: Date) => d.toISOString().slice(0, 10);
const trend = (c: DigestClusterResponse) =>
  c.trendPct === null ? 'new this week' : `${c.trendPct >= 0 ? '+' : ''}${c.trendPct}% week over week`;
const line = (c: DigestClusterResponse) =>
  `${c.name}: ${c.count7d} issue(s) this week (${trend(c)}), ${c.uniqueCustomers} customer(s)`;

/** The digest as Slack Block Kit: a header, a section per list (at most 50 blocks, texts within 3,000 chars). */
export function digestSlackPayload(d: DigestResponse): Record<string, unknown> {
  const title = `Weekly digest ${day(d.from)} to ${day(d.to)}`;
  const blocks: object[] = [{ type: 'header', text: { type: 'plain_text', text: title } }];
  for (const [key, label] of SECTIONS) {
    const items = d[key];
    if (!items.length) continue;
    const text = items
      .map((c) => {
        const quote = c.quote ? `\n> ${slackEscape(c.quote.replace(/\s+/g, ' ').slice(0, 200))}` : '';
        return `• <${c.url}|${slackEscape(c.name.slice(0, 150))}>: ${slackEscape(line(c).slice(c.name.length + 2))}${quote}`;
      })
      .join('\n')
      .slice(0, 2900);
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*${label}*\n${text}` } });
  }
  if (blocks.length === 1)
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: 'A quiet week: nothing to report.' } });
  return { text: title, blocks };
}

/** The digest as an e-mail (text and HTML parts; every piece of cluster or ticket text escaped). */
export function digestEmail(d: DigestResponse): EmailContent {
  const subject = `[PIM] Weekly digest ${day(d.from)} to ${day(d.to)}`;
  const text: string[] = [subject.slice(6), ''];
  let html = `<!doctype html><html><body style="font-family:sans-serif"><h2>${htmlEscape(subject.slice(6))}</h2>`;
  for (const [key, label] of SECTIONS) {
    const items = d[key];
    if (!items.length) continue;
    text.push(
      label,
      ...items.flatMap((c) => [`- ${line(c)}`, ...(c.quote ? [`  "${c.quote}"`] : []), `  ${c.url}`]),
      '',
    );
    html += `<h3>${htmlEscape(label)}</h3><ul>`;
    for (const c of items)
      html +=
        `<li><a href="${htmlEscape(c.url)}">${htmlEscape(c.name)}</a>: ${htmlEscape(line(c).slice(c.name.length + 2))}` +
        `${c.quote ? `<blockquote>${htmlEscape(c.quote)}</blockquote>` : ''}</li>`;
    html += '</ul>';
  }
  return { subject, text: text.join('\n'), html: html + '</body></html>' };
}
