import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardContent } from '@angular/material/card';
import { MatProgressBar } from '@angular/material/progress-bar';
import { ZendeskConnectionResponse, ZendeskService } from '@pim/api-client';
import { finalize } from 'rxjs';
import { Icon } from '../../shared/icon/icon';

/** Tests the configured Zendesk credentials (`GET /api/zendesk/connection`, admins). */
@Component({
  selector: 'pim-zendesk-connection-card',
  imports: [MatCard, MatCardContent, MatButton, MatProgressBar, Icon],
  template: `
    <mat-card appearance="outlined">
      @if (testing()) {
        <mat-progress-bar mode="indeterminate" aria-label="Testing the Zendesk connection" />
      }
      <mat-card-content>
        <p class="muted">
          Asks Zendesk who the configured credentials belong to. Credentials are set on the server
          (<code>ZENDESK_SUBDOMAIN</code>, <code>ZENDESK_EMAIL</code> and <code>ZENDESK_API_TOKEN</code>, or
          <code>ZENDESK_OAUTH_TOKEN</code>), never here.
        </p>
        <button matButton="filled" type="button" data-testid="zendesk-test" [disabled]="testing()" (click)="test()">
          Test connection
        </button>

        @if (result(); as result) {
          <div class="result" aria-live="polite" data-testid="zendesk-result">
            @if (!result.configured) {
              <p class="status">
                <pim-icon name="error" />
                Zendesk is not configured. Syncing is off; tickets can still be imported from a file.
              </p>
            } @else if (result.ok) {
              <p class="status ok">
                <pim-icon name="check_circle" />
                Connected as {{ result.userName ?? 'unknown' }} ({{ result.userEmail ?? 'no email' }},
                {{ result.userRole ?? 'unknown role' }})
              </p>
            } @else {
              <p class="status failed" role="alert">
                <pim-icon name="error" />
                The connection failed: {{ result.error ?? 'no reason given' }}
              </p>
            }
            <dl>
              <dt>API URL</dt>
              <dd>{{ result.apiUrl ?? '—' }}</dd>
              <dt>Authentication</dt>
              <dd>
                {{
                  result.authMethod === 'oauth' ? 'OAuth token' : result.authMethod === 'api_token' ? 'API token' : '—'
                }}
              </dd>
            </dl>
          </div>
        }
      </mat-card-content>
    </mat-card>
  `,
  styles: `
    .muted {
      color: var(--mat-sys-on-surface-variant);
    }
    .result {
      margin-top: 16px;
    }
    .status {
      display: flex;
      align-items: center;
      gap: 8px;
    }
    .ok {
      color: var(--mat-sys-primary);
    }
    .failed {
      color: var(--mat-sys-error);
    }
    dl {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 4px 16px;
    }
    dt {
      color: var(--mat-sys-on-surface-variant);
    }
    dd {
      margin: 0;
      overflow-wrap: anywhere;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ZendeskConnectionCard {
  private readonly zendesk = inject(ZendeskService);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly testing = signal(false);
  protected readonly result = signal<ZendeskConnectionResponse | null>(null);

  protected test(): void {
    this.testing.set(true);
    this.zendesk
      .testZendeskConnection()
      .pipe(
        finalize(() => this.testing.set(false)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({ next: (result) => this.result.set(result), error: () => this.result.set(null) });
  }
}
