import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatOption } from '@angular/material/core';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatSelect } from '@angular/material/select';
import {
  MatCell,
  MatCellDef,
  MatColumnDef,
  MatHeaderCell,
  MatHeaderCellDef,
  MatHeaderRow,
  MatHeaderRowDef,
  MatRow,
  MatRowDef,
  MatTable,
} from '@angular/material/table';
import { MatTooltip } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import {
  AlertDeliveryResponse,
  AlertKind,
  AlertPageResponse,
  AlertResponse,
  AlertsService,
  ListAlerts$Params,
} from '@pim/api-client';
import { AuthStore } from '../../core/auth/auth-store';
import { withPage } from '../../core/http/paging';
import { joinList, listParam } from '../../shared/list-params';
import { ListCard } from '../../shared/list/list-card';
import { UrlListState } from '../../shared/list/url-list-state';
import { ALERT_KINDS, CHANNEL_LABELS, DELIVERY_LABELS, KIND_LABELS } from './alert-labels';

interface AlertFilters {
  kinds: AlertKind[];
}

/** Alerts raised on clusters, newest first: kind, cluster, when, whether it still holds, and each delivery's status. */
@Component({
  selector: 'pim-alert-list-page',
  imports: [
    DatePipe,
    RouterLink,
    MatButton,
    MatFormField,
    MatLabel,
    MatSelect,
    MatOption,
    MatTooltip,
    MatTable,
    MatColumnDef,
    MatHeaderCell,
    MatHeaderCellDef,
    MatCell,
    MatCellDef,
    MatHeaderRow,
    MatHeaderRowDef,
    MatRow,
    MatRowDef,
    ListCard,
  ],
  templateUrl: './alert-list-page.html',
  styleUrl: './alert-list-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AlertListPage {
  private readonly alerts = inject(AlertsService);
  private readonly auth = inject(AuthStore);

  protected readonly isAdmin = computed(() => this.auth.hasRole('admin'));

  protected readonly kinds = ALERT_KINDS;
  protected readonly kindLabels = KIND_LABELS;
  protected readonly columns = ['kind', 'cluster', 'createdAt', 'state', 'deliveries'];

  protected readonly list = new UrlListState<AlertFilters, AlertPageResponse>({
    filters: (params) => ({
      kinds: listParam(params.get('kind')).filter((kind): kind is AlertKind => ALERT_KINDS.includes(kind as AlertKind)),
    }),
    filterParams: ['kind'],
    isFiltered: (filters) => filters.kinds.length > 0,
    load: (query) => {
      const params: ListAlerts$Params = {};
      if (query.kinds.length) {
        params.kind = joinList(query.kinds) ?? undefined;
      }
      return this.alerts.listAlerts(params, withPage({ page: query.page, perPage: query.perPage }));
    },
  });
  protected readonly query = this.list.query;

  /** "Slack: failed (3 tries)". */
  protected deliveryText(delivery: AlertDeliveryResponse): string {
    const tries = delivery.attempts > 1 ? ` (${delivery.attempts} tries)` : '';
    return `${CHANNEL_LABELS[delivery.channel]}: ${DELIVERY_LABELS[delivery.status]}${tries}`;
  }

  protected kindLabel(alert: AlertResponse): string {
    return KIND_LABELS[alert.kind];
  }

  protected onKinds(kinds: AlertKind[]): void {
    this.list.filter({ kind: joinList(kinds) });
  }
}
