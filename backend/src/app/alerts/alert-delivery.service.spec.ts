import { Logger } from '@nestjs/common';
import { SlackWebhookReceiver } from '@pim/testing';
import type { AppConfig } from '@app/config/app-config';
import { AlertDeliveryService } from './alert-delivery.service';
import { DEFAULT_RULES, EffectiveAlertSettings } from './alert.types';
import { buildMessage } from './channels/alert-message';
import { emailContent } from './channels/email.channel';
import { slackPayload } from './channels/slack.channel';
import type { AlertDeliveryRepository, ClaimedDeliveryRow } from './repositories/alert-delivery.repository';
import type { AlertRepository, AlertRow } from './repositories/alert.repository';
import type { ClusterContextRow, ClusterSignalsRepository } from './repositories/cluster-signals.repository';

const alert: AlertRow = {
  id: 'a1',
  kind: 'critical',
  clusterId: 'c1',
  clusterName: 'Duplicate upgrade charge',
  trigger: { criticalTickets7d: 2 },
  createdAt: new Date('2026-12-07T10:00:00Z'),
  clearedAt: null,
};
const cluster: ClusterContextRow = {
  id: 'c1',
  name: 'Duplicate <b>upgrade</b> charge & refund',
  issueCount: 9,
  ticketCount: 8,
  count7d: 5,
  countPrior7d: 2,
  trendPct: 150,
  uniqueCustomers: 4,
  severityMax: 'critical',
  quote: 'I was charged twice <script>alert(1)</script> for the upgrade',
  customers: ['Acme & Co', 'Globex'],
  externalUrl: 'https://acme.atlassian.net/browse/PIM-7',
};

/** The delivery service with faked repositories (one claimed Slack delivery) against a real HTTP receiver. */
function setup(url: string, overrides: { ratePerHour?: number; sentLastHour?: number } = {}) {
  const claimed: ClaimedDeliveryRow = { id: '7', alertId: 'a1', channel: 'slack', attempts: 0 };
  const deliveries = {
    claimDue: jest.fn().mockResolvedValueOnce([claimed]).mockResolvedValue([]),
    sentLastHour: jest.fn().mockResolvedValue(overrides.sentLastHour ?? 0),
    markSent: jest.fn(),
    markFailed: jest.fn(),
    recordFailedTry: jest.fn(),
    defer: jest.fn(),
  };
  const config = {
    alerts: { deliveryAttempts: 3, retryBaseMs: 10, timeoutMs: 500, emailTo: [] },
  } as unknown as AppConfig;
  const service = new AlertDeliveryService(
    config,
    { byIds: jest.fn().mockResolvedValue([alert]) } as unknown as AlertRepository,
    deliveries as unknown as AlertDeliveryRepository,
    { context: jest.fn().mockResolvedValue([cluster]) } as unknown as ClusterSignalsRepository,
  );
  const settings: EffectiveAlertSettings = {
    rules: DEFAULT_RULES,
    channels: {
      slack: { enabled: true, webhookUrl: url, source: 'env' },
      webhook: { enabled: true, source: 'none' },
      email: { enabled: true, to: [], source: 'none' },
    },
    ratePerHour: overrides.ratePerHour ?? 30,
    consoleUrl: 'https://console.test',
  };
  return { service, deliveries, settings };
}

describe('AlertDeliveryService', () => {
  const slack = new SlackWebhookReceiver();
  let url: string;

  beforeAll(async () => {
    url = (await slack.start()) + slack.path;
  });
  afterAll(() => slack.stop());
  beforeEach(() => slack.reset());

  it('sends a Block Kit message Slack accepts and marks the delivery sent', async () => {
    const { service, deliveries, settings } = setup(url);
    await service.deliverDue(settings);
    expect(slack.accepted).toHaveLength(1);
    expect(deliveries.markSent).toHaveBeenCalledWith('7', 1);
  });

  it('holds a delivery back when the channel reached its hourly rate', async () => {
    const { service, deliveries, settings } = setup(url, { ratePerHour: 5, sentLastHour: 5 });
    await service.deliverDue(settings);
    expect(slack.requests).toHaveLength(0);
    expect(deliveries.defer).toHaveBeenCalledWith('7', expect.any(Date), 'rate limited: 5 per hour on slack');
    expect(deliveries.markSent).not.toHaveBeenCalled();
  });

  it('fails at once on an answer that another try cannot change (404 no_service), logging no URL', async () => {
    const { service, deliveries, settings } = setup(`${url}-gone`);
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    await service.deliverDue(settings);
    const logged = warn.mock.calls.map((call) => String(call[0]));
    warn.mockRestore();
    expect(logged).toEqual(['alert a1 on slack: try 1 failed: HTTP 404: no_service']);
    expect(slack.requests).toHaveLength(1);
    expect(deliveries.markFailed).toHaveBeenCalledWith('7', 1, 'HTTP 404: no_service');
  });

  it('leaves a delivery pending until a long Retry-After instead of waiting in process', async () => {
    const { service, deliveries, settings } = setup(url);
    slack.rateLimit(120);
    const started = Date.now();
    await service.deliverDue(settings);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(deliveries.recordFailedTry).toHaveBeenCalledWith('7', 1, 'HTTP 429: rate_limited');
    const until = (deliveries.defer.mock.calls[0] as [string, Date, string])[1];
    expect(until.getTime()).toBeGreaterThanOrEqual(started + 119_000);
  });
});

describe('alert messages', () => {
  const message = buildMessage(alert, cluster, 'https://console.test/');

  it('escapes ticket and cluster text in the e-mail’s HTML part and keeps the text part plain', () => {
    const { subject, text, html } = emailContent(message);
    expect(subject).toBe('[PIM] Critical issue: Duplicate <b>upgrade</b> charge & refund');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Duplicate &lt;b&gt;upgrade&lt;/b&gt; charge &amp; refund');
    expect(html).not.toContain('<script>');
    expect(text).toContain('"I was charged twice <script>alert(1)</script> for the upgrade"');
    expect(text).toContain('Open in the console: https://console.test/clusters/c1');
  });

  it('escapes Slack’s control characters and links the cluster', () => {
    const payload = JSON.stringify(slackPayload(message));
    expect(payload).toContain('&lt;script&gt;');
    expect(payload).toContain('Acme &amp; Co');
    expect(payload).toContain('"url":"https://console.test/clusters/c1"');
    expect(payload).toContain('kind: critical · cluster: c1');
    expect(payload).toContain('"url":"https://acme.atlassian.net/browse/PIM-7"');
  });
});
