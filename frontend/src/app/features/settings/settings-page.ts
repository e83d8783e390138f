import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatTab, MatTabContent, MatTabGroup } from '@angular/material/tabs';
import { ActivatedRoute, Router } from '@angular/router';
import { AuthStore } from '../../core/auth/auth-store';
import { AnalysisCostsCard } from './analysis-costs-card';
import { AnalysisSettingsCard } from './analysis-settings-card';
import { AuditLogCard } from './audit-log-card';
import { TaxonomyEditor } from './taxonomy-editor';
import { ZendeskConnectionCard } from './zendesk-connection-card';

type SettingsTab = 'taxonomy' | 'analysis' | 'zendesk' | 'costs' | 'audit';

/**
 * Settings: the taxonomy and product context and the analysis mode and model (admins edit, others read), the
 * Zendesk connection test (admins), analysis costs (editors and admins) and the audit log (admins). The open tab
 * is kept in the URL (`?tab=costs`).
 */
@Component({
  selector: 'pim-settings-page',
  imports: [
    MatTabGroup,
    MatTab,
    MatTabContent,
    TaxonomyEditor,
    AnalysisSettingsCard,
    ZendeskConnectionCard,
    AnalysisCostsCard,
    AuditLogCard,
  ],
  templateUrl: './settings-page.html',
  styleUrl: './settings-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SettingsPage {
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);

  protected readonly tabs = computed<SettingsTab[]>(() => [
    'taxonomy',
    'analysis',
    ...(this.auth.hasRole('admin') ? (['zendesk'] as const) : []),
    ...(this.auth.hasRole('editor', 'admin') ? (['costs'] as const) : []),
    ...(this.auth.hasRole('admin') ? (['audit'] as const) : []),
  ]);
  private readonly tabParam = toSignal(this.route.queryParamMap, { requireSync: true });
  protected readonly selectedIndex = computed(() =>
    Math.max(0, this.tabs().indexOf(this.tabParam().get('tab') as SettingsTab)),
  );

  protected select(index: number): void {
    const tab = this.tabs()[index];
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { tab: tab === 'taxonomy' ? null : tab },
      queryParamsHandling: 'merge',
      replaceUrl: true,
    });
  }
}
