import { createTransport, Transporter } from 'nodemailer';
import { AlertMessage, KIND_LABEL } from './alert-message';
import { DeliveryError } from './delivery-error';

export const htmlEscape = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

/** The alert as an e-mail: a text part and an HTML part (every piece of ticket or cluster text escaped). */
export function emailContent(m: AlertMessage): EmailContent {
  const subject = `[PIM] ${KIND_LABEL[m.kind]}: ${m.clusterName}`.replace(/[\r\n]+/g, ' ').slice(0, 250);
  const lines = [
    `${KIND_LABEL[m.kind]}: ${m.clusterName}`,
    '',
    m.headline,
    '',
    `Issues: ${m.counts.issues} (${m.counts.tickets} tickets)`,
    `Last 7 days: ${m.counts.last7d} (prior 7 days: ${m.counts.prior7d}); ${m.trend}`,
    `Customers affected: ${m.uniqueCustomers}${m.customers.length ? ` (${m.customers.join(', ')})` : ''}`,
    ...(m.quote ? ['', `"${m.quote}"`] : []),
    '',
    `Open in the console: ${m.url}`,
    ...(m.externalUrl ? [`Tracker issue: ${m.externalUrl}`] : []),
    `(kind: ${m.kind}, cluster: ${m.clusterId})`,
  ];
  const e = htmlEscape;
  const html = `<!doctype html><html><body style="font-family:sans-serif">
<h2>${e(KIND_LABEL[m.kind])}: ${e(m.clusterName)}</h2>
<p>${e(m.headline)}</p>
<table>
<tr><th align="left">Issues</th><td>${m.counts.issues} (${m.counts.tickets} tickets)</td></tr>
<tr><th align="left">Last 7 days</th><td>${m.counts.last7d} (prior 7 days: ${m.counts.prior7d}); ${e(m.trend)}</td></tr>
<tr><th align="left">Customers affected</th><td>${m.uniqueCustomers}${m.customers.length ? ` (${e(m.customers.join(', '))})` : ''}</td></tr>
</table>
${m.quote ? `<blockquote>${e(m.quote)}</blockquote>` : ''}
<p><a href="${e(m.url)}">Open in the console</a>${m.externalUrl ? ` · <a href="${e(m.externalUrl)}">Tracker issue</a>` : ''}</p>
<p style="color:#666;font-size:small">kind: ${e(m.kind)} · cluster: ${e(m.clusterId)}</p>
</body></html>`;
  return { subject, text: lines.join('\n'), html };
}

/** SMTP errors: transient (4xx replies, connection and timeout failures) are tried again; 5xx replies are not. */
export function smtpError(error: unknown): DeliveryError {
  const { code, responseCode, message } = error as { code?: string; responseCode?: number; message?: string };
  if (typeof responseCode === 'number')
    return new DeliveryError(`SMTP ${responseCode}: ${(message ?? '').slice(0, 200)}`, responseCode < 500);
  const permanent = code === 'EAUTH' || code === 'EENVELOPE' || code === 'EMESSAGE';
  return new DeliveryError(`SMTP ${code ?? 'error'}: ${(message ?? '').slice(0, 200)}`, !permanent);
}

/** One transport per SMTP URL (pooled connections are not needed for a few alerts a run). */
export class EmailSender {
  private transports = new Map<string, Transporter>();

  async send(smtpUrl: string, from: string, to: string[], content: EmailContent, timeoutMs: number): Promise<void> {
    let transport = this.transports.get(smtpUrl);
    if (!transport) {
      // `url` is parsed by the SMTP transport (host, port, secure, auth); the timeouts apply on top of it.
      transport = createTransport({
        url: smtpUrl,
        connectionTimeout: timeoutMs,
        greetingTimeout: timeoutMs,
        socketTimeout: timeoutMs,
      } as Parameters<typeof createTransport>[0]);
      this.transports.set(smtpUrl, transport);
    }
    try {
      await transport.sendMail({ from, to, ...content });
    } catch (error) {
      throw smtpError(error);
    }
  }

  close(): void {
    for (const transport of this.transports.values()) transport.close();
    this.transports.clear();
  }
}
