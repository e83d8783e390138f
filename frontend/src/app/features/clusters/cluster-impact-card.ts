import { CurrencyPipe, DecimalPipe, PercentPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import { RouterLink } from '@angular/router';
import { ClusterDetailResponse } from '@pim/api-client';

/**
 * A cluster's impact (issue 18): the score and why it ranks there, the ARR of the accounts it hits, the share of
 * enterprise accounts, renewals in the next 90 days, and the affected accounts with their value and tickets.
 */
@Component({
  selector: 'pim-cluster-impact-card',
  imports: [MatCardModule, RouterLink, CurrencyPipe, DecimalPipe, PercentPipe],
  templateUrl: './cluster-impact-card.html',
  styleUrl: './cluster-impact-card.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ClusterImpactCard {
  readonly cluster = input.required<ClusterDetailResponse>();
}
