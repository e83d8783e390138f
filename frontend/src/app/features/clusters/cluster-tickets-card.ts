import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import { ClusterTicketResponse } from '@pim/api-client';
import { Icon } from '../../shared/icon/icon';

/** The tickets behind a cluster's issues: customer, status, date, and a link to each in Zendesk. */
@Component({
  selector: 'pim-cluster-tickets-card',
  imports: [DatePipe, RouterLink, Icon],
  templateUrl: './cluster-tickets-card.html',
  styleUrl: './cluster-tickets-card.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ClusterTicketsCard {
  readonly tickets = input.required<readonly ClusterTicketResponse[]>();
}
