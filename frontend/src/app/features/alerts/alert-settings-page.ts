import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardContent, MatCardHeader, MatCardTitle } from '@angular/material/card';
import { MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatProgressBar } from '@angular/material/progress-bar';
import { MatSlideToggle } from '@angular/material/slide-toggle';
import { MatSnackBar } from '@angular/material/snack-bar';
import { RouterLink } from '@angular/router';
import {
  AlertChannelSource,
  AlertSettingsResponse,
  SettingsService,
  UpdateAlertSettingsRequest,
} from '@pim/api-client';
import { finalize } from 'rxjs';

type LoadState = 'loading' | 'ready' | 'error';
type Channel = 'slack' | 'webhook' | 'email';

const SOURCE_TEXT: Record<AlertChannelSource, string> = {
  env: 'Configured by the environment',
  settings: 'Configured here',
  none: 'Not configured',
};

/**
 * Alert rules and channels (admins, `GET|PUT /api/settings/alerts`). Addresses and secrets are write-only: the API
 * says whether each is set, never what it is; a field left empty keeps the current value.
 */
@Component({
  selector: 'pim-alert-settings-page',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButton,
    MatCard,
    MatCardHeader,
    MatCardTitle,
    MatCardContent,
    MatFormField,
    MatLabel,
    MatHint,
    MatInput,
    MatProgressBar,
    MatSlideToggle,
  ],
  templateUrl: './alert-settings-page.html',
  styleUrl: './alert-settings-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AlertSettingsPage {
  private readonly api = inject(SettingsService);
  private readonly snackBar = inject(MatSnackBar);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly state = signal<LoadState>('loading');
  protected readonly saving = signal(false);
  protected readonly current = signal<AlertSettingsResponse | null>(null);
  protected readonly sourceText = SOURCE_TEXT;

  protected readonly form = inject(FormBuilder).nonNullable.group({
    emergingEnabled: true,
    minIssues: [5, [Validators.required, Validators.min(1)]],
    spikeEnabled: true,
    zThreshold: [4, [Validators.required, Validators.min(1)]],
    minCount: [3, [Validators.required, Validators.min(1)]],
    criticalEnabled: true,
    regressionEnabled: true,
    slackEnabled: true,
    slackWebhookUrl: '',
    webhookEnabled: true,
    webhookUrl: '',
    webhookSecret: '',
    emailEnabled: true,
    smtpUrl: '',
    emailFrom: '',
    emailTo: '',
    ratePerHour: [30, [Validators.required, Validators.min(1)]],
    consoleUrl: '',
  });

  constructor() {
    this.load();
  }

  protected load(): void {
    this.state.set('loading');
    this.api
      .getAlertSettings()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (settings) => this.show(settings),
        error: () => this.state.set('error'),
      });
  }

  protected save(): void {
    if (this.form.invalid) return;
    this.send(this.changes());
  }

  /** Drops the address or secret set here: the environment's (if any) applies again. */
  protected removeOverride(channel: Channel): void {
    const channels: UpdateAlertSettingsRequest['channels'] =
      channel === 'slack'
        ? { slack: { webhookUrl: null } }
        : channel === 'webhook'
          ? { webhook: { url: null, secret: null } }
          : { email: { smtpUrl: null } };
    this.send({ channels });
  }

  private send(body: UpdateAlertSettingsRequest): void {
    this.saving.set(true);
    this.api
      .updateAlertSettings({ body })
      .pipe(
        finalize(() => this.saving.set(false)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe((settings) => {
        this.show(settings);
        this.snackBar.open('Alert settings saved', undefined, { duration: 3000 });
      });
  }

  private show(settings: AlertSettingsResponse): void {
    const { rules, channels } = settings;
    this.current.set(settings);
    this.form.reset({
      emergingEnabled: rules.emerging.enabled,
      minIssues: rules.emerging.minIssues,
      spikeEnabled: rules.spike.enabled,
      zThreshold: rules.spike.zThreshold,
      minCount: rules.spike.minCount,
      criticalEnabled: rules.critical.enabled,
      regressionEnabled: rules.regression.enabled,
      slackEnabled: channels.slack.enabled,
      slackWebhookUrl: '',
      webhookEnabled: channels.webhook.enabled,
      webhookUrl: '',
      webhookSecret: '',
      emailEnabled: channels.email.enabled,
      smtpUrl: '',
      emailFrom: channels.email.from ?? '',
      emailTo: channels.email.to.join(', '),
      ratePerHour: settings.ratePerHour,
      consoleUrl: settings.consoleUrl,
    });
    this.state.set('ready');
  }

  /** The whole form as a change; empty address and secret fields keep what is set. */
  private changes(): UpdateAlertSettingsRequest {
    const v = this.form.getRawValue();
    const text = (value: string) => value.trim() || undefined;
    const to = v.emailTo
      .split(',')
      .map((address) => address.trim())
      .filter(Boolean);
    return {
      rules: {
        emerging: { enabled: v.emergingEnabled, minIssues: Number(v.minIssues) },
        spike: { enabled: v.spikeEnabled, zThreshold: Number(v.zThreshold), minCount: Number(v.minCount) },
        critical: { enabled: v.criticalEnabled },
        regression: { enabled: v.regressionEnabled },
      },
      channels: {
        slack: { enabled: v.slackEnabled, webhookUrl: text(v.slackWebhookUrl) },
        webhook: { enabled: v.webhookEnabled, url: text(v.webhookUrl), secret: text(v.webhookSecret) },
        email: {
          enabled: v.emailEnabled,
          smtpUrl: text(v.smtpUrl),
          from: text(v.emailFrom) ?? null,
          to: to.length ? to : null,
        },
      },
      ratePerHour: Number(v.ratePerHour),
      consoleUrl: text(v.consoleUrl) ?? null,
    };
  }
}
