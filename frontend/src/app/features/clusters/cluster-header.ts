import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { ClusterDetailResponse } from '@pim/api-client';
import { Sparkline } from '../../shared/charts/sparkline';
import { Icon } from '../../shared/icon/icon';
import { formatTrend, humanize, PM_STATUS_LABELS, PmStatus, trendDirection } from '../../shared/issues/issue-labels';

/** A cluster's name (and whether a PM locked it), category and status chips, trend, summary and counts. */
@Component({
  selector: 'pim-cluster-header',
  imports: [DatePipe, DecimalPipe, Icon, Sparkline],
  templateUrl: './cluster-header.html',
  styleUrl: './cluster-header.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ClusterHeader {
  readonly cluster = input.required<ClusterDetailResponse>();

  protected readonly humanize = humanize;
  protected readonly formatTrend = formatTrend;
  protected readonly trendDirection = trendDirection;
  protected readonly nameLocked = computed(() => this.cluster().lockedFields.includes('name'));

  protected statusLabel(status: string): string {
    return PM_STATUS_LABELS[status as PmStatus] ?? humanize(status);
  }
}
