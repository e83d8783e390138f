import { createHmac } from 'node:crypto';
import { AlertMessage } from './alert-message';

/** The header of the signature: `sha256=<hex HMAC-SHA256 of the raw body>` (DESIGN.md). */
export const SIGNATURE_HEADER = 'X-PIM-Signature';

export function sign(rawBody: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/** The generic webhook's JSON body. */
export function webhookBody(m: AlertMessage): Record<string, unknown> {
  return {
    event: 'alert.raised',
    alertId: m.alertId,
    kind: m.kind,
    createdAt: m.createdAt.toISOString(),
    cluster: { id: m.clusterId, name: m.clusterName, url: m.url, externalUrl: m.externalUrl },
    headline: m.headline,
    trigger: m.trigger,
    counts: m.counts,
    trend: m.trend,
    quote: m.quote,
    uniqueCustomers: m.uniqueCustomers,
    customers: m.customers,
  };
}
