import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { mapLimit, sleep } from '@app/common/async';
import { errorMessage } from '@app/common/errors';
import { AppConfig } from '@app/config/app-config';
import { APP_CONFIG } from '@app/config/config.module';
import type { AlertChannel, EffectiveAlertSettings } from './alert.types';
import { AlertMessage, buildMessage } from './channels/alert-message';
import { DeliveryError } from './channels/delivery-error';
import { EmailSender, emailContent } from './channels/email.channel';
import { postJson } from './channels/http-post';
import { slackPayload } from './channels/slack.channel';
import { SIGNATURE_HEADER, sign, webhookBody } from './channels/webhook.channel';
import { AlertDeliveryRepository, ClaimedDeliveryRow } from './repositories/alert-delivery.repository';
import { AlertRepository } from './repositories/alert.repository';
import { ClusterSignalsRepository } from './repositories/cluster-signals.repository';

/** A Retry-After longer than this is not waited in process: the delivery is left pending until then. */
const MAX_INLINE_WAIT_MS = 60_000;
/** A rate-limited delivery is looked at again after this long (at the next evaluation from then on). */
const RATE_LIMIT_DEFER_MS = 10 * 60_000;

/** The channels an alert goes to: enabled and configured. */
export function activeChannels(settings: EffectiveAlertSettings): AlertChannel[] {
  const { slack, webhook, email } = settings.channels;
  const out: AlertChannel[] = [];
  if (slack.enabled && slack.webhookUrl) out.push('slack');
  if (email.enabled && email.smtpUrl && email.from && email.to.length) out.push('email');
  if (webhook.enabled && webhook.url) out.push('webhook');
  return out;
}

/**
 * Sends due deliveries: each is claimed by one process, tried up to ALERT_DELIVERY_ATTEMPTS times with exponential
 * backoff (5xx, 429 honouring Retry-After, timeouts, connection failures), then sent or failed with its last error
 * recorded; a channel over its hourly rate waits for a later evaluation. Never logs an address or a secret.
 */
@Injectable()
export class AlertDeliveryService implements OnModuleDestroy {
  private readonly logger = new Logger(AlertDeliveryService.name);
  private readonly email = new EmailSender();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly alerts: AlertRepository,
    private readonly deliveries: AlertDeliveryRepository,
    private readonly signals: ClusterSignalsRepository,
  ) {}

  onModuleDestroy(): void {
    this.email.close();
  }

  /** Sends every due delivery (new ones, retries left pending, rate-limited ones whose time came). */
  async deliverDue(settings: EffectiveAlertSettings): Promise<void> {
    for (;;) {
      const claimed = await this.deliveries.claimDue(20);
      if (!claimed.length) return;
      const messages = await this.messages(claimed, settings);
      // Channels in parallel, each channel's deliveries in order (its rate limit counts them one by one).
      const byChannel = new Map<AlertChannel, ClaimedDeliveryRow[]>();
      for (const d of claimed) byChannel.set(d.channel, [...(byChannel.get(d.channel) ?? []), d]);
      await mapLimit([...byChannel.values()], 3, async (list) => {
        for (const d of list) await this.deliverOne(d, messages.get(d.alertId), settings);
      });
    }
  }

  private async messages(claimed: ClaimedDeliveryRow[], settings: EffectiveAlertSettings) {
    const alerts = await this.alerts.byIds([...new Set(claimed.map((d) => d.alertId))]);
    const clusters = new Map((await this.signals.context(alerts.map((a) => a.clusterId))).map((c) => [c.id, c]));
    const out = new Map<string, AlertMessage>();
    for (const alert of alerts) {
      const cluster = clusters.get(alert.clusterId);
      if (cluster) out.set(alert.id, buildMessage(alert, cluster, settings.consoleUrl));
    }
    return out;
  }

  private async deliverOne(
    d: ClaimedDeliveryRow,
    message: AlertMessage | undefined,
    settings: EffectiveAlertSettings,
  ): Promise<void> {
    if (!message) return this.deliveries.markFailed(d.id, d.attempts, 'the alert or its cluster no longer exists');
    if (!activeChannels(settings).includes(d.channel))
      return this.deliveries.markFailed(d.id, d.attempts, `channel ${d.channel} is disabled or not configured`);
    if ((await this.deliveries.sentLastHour(d.channel)) >= settings.ratePerHour)
      return this.deliveries.defer(
        d.id,
        new Date(Date.now() + RATE_LIMIT_DEFER_MS),
        `rate limited: ${settings.ratePerHour} per hour on ${d.channel}`,
      );
    const { deliveryAttempts, retryBaseMs } = this.config.alerts;
    let attempts = d.attempts;
    for (;;) {
      attempts++;
      try {
        await this.send(d.channel, message, settings);
        await this.deliveries.markSent(d.id, attempts);
        return;
      } catch (caught) {
        const error = caught instanceof DeliveryError ? caught : new DeliveryError(errorMessage(caught), false);
        this.logger.warn(`alert ${d.alertId} on ${d.channel}: try ${attempts} failed: ${error.message}`);
        if (!error.retryable || attempts >= deliveryAttempts)
          return this.deliveries.markFailed(d.id, attempts, error.message);
        const wait = error.retryAfterMs ?? retryBaseMs * 2 ** (attempts - 1);
        await this.deliveries.recordFailedTry(d.id, attempts, error.message);
        if (wait > MAX_INLINE_WAIT_MS) return this.deliveries.defer(d.id, new Date(Date.now() + wait), error.message);
        await sleep(wait);
      }
    }
  }

  private async send(channel: AlertChannel, message: AlertMessage, settings: EffectiveAlertSettings): Promise<void> {
    const { timeoutMs } = this.config.alerts;
    const { slack, webhook, email } = settings.channels;
    switch (channel) {
      case 'slack':
        return postJson(configured(slack.webhookUrl), JSON.stringify(slackPayload(message)), {}, timeoutMs);
      case 'webhook': {
        const raw = JSON.stringify(webhookBody(message));
        const headers: Record<string, string> = { 'user-agent': 'product-issue-miner-alerts' };
        if (webhook.secret) headers[SIGNATURE_HEADER] = sign(raw, webhook.secret);
        return postJson(configured(webhook.url), raw, headers, timeoutMs);
      }
      case 'email':
        return this.email.send(
          configured(email.smtpUrl),
          configured(email.from),
          email.to,
          emailContent(message),
          timeoutMs,
        );
    }
  }
}

/** A channel setting `activeChannels` found set (a change meanwhile fails the try, not the process). */
function configured(value: string | undefined): string {
  if (!value) throw new DeliveryError('channel not configured', false);
  return value;
}
