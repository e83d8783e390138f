import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '@app/auth/audit.service';
import type { AuthenticatedUser } from '@app/auth/authenticated-user';
import { AppConfig } from '@app/config/app-config';
import { APP_CONFIG } from '@app/config/config.module';
import {
  AlertRules,
  AlertSettingsChange,
  AlertSettingsView,
  ChannelSource,
  DEFAULT_RATE_PER_HOUR,
  DEFAULT_RULES,
  EffectiveAlertSettings,
  StoredAlertSettings,
} from './alert.types';
import { AlertSettingsRepository } from './repositories/alert-settings.repository';
import { SecretBox } from './secret-box';

/**
 * Alert rules and channels. Defaults: every rule on, channels from the environment (ALERT_SLACK_WEBHOOK_URL,
 * ALERT_WEBHOOK_URL + ALERT_WEBHOOK_SECRET, SMTP_URL + ALERT_EMAIL_FROM + ALERT_EMAIL_TO); admins override them.
 * Addresses and secrets set in the settings are stored sealed and never returned.
 */
@Injectable()
export class AlertSettingsService {
  private readonly box: SecretBox;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly settings: AlertSettingsRepository,
    private readonly audit: AuditService,
  ) {
    this.box = new SecretBox(config.jwt.secret);
  }

  async effective(): Promise<EffectiveAlertSettings> {
    return this.resolve(await this.settings.read());
  }

  async describe(): Promise<AlertSettingsView> {
    return view(await this.effective());
  }

  /** Applies the change, audited with the view before and after (never a secret). */
  async update(change: AlertSettingsChange, actor: AuthenticatedUser): Promise<AlertSettingsView> {
    return this.dataSource.transaction(async (tx) => {
      const stored = await this.settings.readForUpdate(tx);
      const next = this.apply(stored, change);
      await this.settings.write(tx, next, actor.id);
      const before = view(this.resolve(stored));
      const after = view(this.resolve(next));
      await this.audit.record(
        { actor, action: 'settings.alerts.update', entityType: 'settings', entityId: 'alerts', before, after },
        tx,
      );
      return after;
    });
  }

  private apply(stored: StoredAlertSettings, change: AlertSettingsChange): StoredAlertSettings {
    const next: StoredAlertSettings = structuredClone(stored);
    const rules = (next.rules ??= {});
    for (const kind of Object.keys(DEFAULT_RULES) as Array<keyof AlertRules>) {
      const patch = change.rules?.[kind];
      if (patch) rules[kind] = { ...rules[kind], ...defined(patch) } as never;
    }
    const channels = (next.channels ??= {});
    patchChannel(channels, 'slack', change.channels?.slack, (target, slack) => {
      this.setSecret(target, 'webhookUrl', slack.webhookUrl);
    });
    patchChannel(channels, 'webhook', change.channels?.webhook, (target, webhook) => {
      this.setSecret(target, 'url', webhook.url);
      this.setSecret(target, 'secret', webhook.secret);
    });
    patchChannel(channels, 'email', change.channels?.email, (target, email) => {
      this.setSecret(target, 'smtpUrl', email.smtpUrl);
      if (email.from === null) delete target.from;
      else if (email.from !== undefined) target.from = email.from;
      if (email.to === null) delete target.to;
      else if (email.to !== undefined) target.to = email.to;
    });
    if (change.ratePerHour !== undefined) next.ratePerHour = change.ratePerHour;
    if (change.consoleUrl === null) delete next.consoleUrl;
    else if (change.consoleUrl !== undefined) next.consoleUrl = change.consoleUrl.replace(/\/+$/, '');
    return next;
  }

  private setSecret<K extends string>(target: Partial<Record<K, string>>, key: K, value: string | null | undefined) {
    if (value === null) delete target[key];
    else if (value !== undefined) target[key] = this.box.seal(value);
  }

  private resolve(stored: StoredAlertSettings): EffectiveAlertSettings {
    const env = this.config.alerts;
    const r = stored.rules ?? {};
    const rules: AlertRules = {
      emerging: { ...DEFAULT_RULES.emerging, ...r.emerging },
      spike: { ...DEFAULT_RULES.spike, ...r.spike },
      critical: { ...DEFAULT_RULES.critical, ...r.critical },
      regression: { ...DEFAULT_RULES.regression, ...r.regression },
    };
    const c = stored.channels ?? {};
    const slackUrl = this.box.open(c.slack?.webhookUrl);
    const hookUrl = this.box.open(c.webhook?.url);
    const hookSecret = this.box.open(c.webhook?.secret);
    const smtpUrl = this.box.open(c.email?.smtpUrl);
    return {
      rules,
      channels: {
        slack: {
          enabled: c.slack?.enabled ?? true,
          webhookUrl: slackUrl ?? env.slackWebhookUrl,
          source: source(slackUrl, env.slackWebhookUrl),
        },
        webhook: {
          enabled: c.webhook?.enabled ?? true,
          url: hookUrl ?? env.webhookUrl,
          secret: hookSecret ?? env.webhookSecret,
          source: source(hookUrl, env.webhookUrl),
        },
        email: {
          enabled: c.email?.enabled ?? true,
          smtpUrl: smtpUrl ?? env.smtpUrl,
          from: c.email?.from ?? env.emailFrom,
          to: c.email?.to ?? [...env.emailTo],
          source: source(smtpUrl, env.smtpUrl),
        },
      },
      ratePerHour: stored.ratePerHour ?? DEFAULT_RATE_PER_HOUR,
      consoleUrl: stored.consoleUrl ?? this.config.frontendUrls[0] ?? `http://localhost:${this.config.port}`,
    };
  }
}

type StoredChannels = NonNullable<StoredAlertSettings['channels']>;
type ChannelChanges = NonNullable<AlertSettingsChange['channels']>;

/** A channel's change onto its stored overrides: created when first changed, `enabled` as given, then its fields. */
function patchChannel<K extends keyof StoredChannels>(
  channels: StoredChannels,
  kind: K,
  change: ChannelChanges[K],
  fields: (target: NonNullable<StoredChannels[K]>, change: NonNullable<ChannelChanges[K]>) => void,
): void {
  if (!change) return;
  const target = (channels[kind] ??= {}) as NonNullable<StoredChannels[K]>;
  if (change.enabled !== undefined) target.enabled = change.enabled;
  fields(target, change);
}

function source(fromSettings: string | undefined, fromEnv: string | undefined): ChannelSource {
  return fromSettings ? 'settings' : fromEnv ? 'env' : 'none';
}

function defined<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The settings as the API shows them: whether each channel is configured, never its address or secret. */
export function view(settings: EffectiveAlertSettings): AlertSettingsView {
  const { slack, webhook, email } = settings.channels;
  return {
    rules: settings.rules,
    channels: {
      slack: { enabled: slack.enabled, configured: Boolean(slack.webhookUrl), source: slack.source },
      webhook: {
        enabled: webhook.enabled,
        configured: Boolean(webhook.url),
        secretConfigured: Boolean(webhook.secret),
        source: webhook.source,
      },
      email: {
        enabled: email.enabled,
        configured: Boolean(email.smtpUrl && email.from && email.to.length),
        from: email.from ?? null,
        to: email.to,
        source: email.source,
      },
    },
    ratePerHour: settings.ratePerHour,
    consoleUrl: settings.consoleUrl,
  };
}
