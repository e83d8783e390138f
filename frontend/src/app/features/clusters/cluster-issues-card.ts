import { DatePipe, PercentPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardContent } from '@angular/material/card';
import { MatCheckbox } from '@angular/material/checkbox';
import { RouterLink } from '@angular/router';
import { IssueResponse } from '@pim/api-client';
import { humanize } from '../../shared/issues/issue-labels';
import { ClusterTarget } from './cluster-target';

/** An issue ticked or unticked for a split. */
export interface IssueToggle {
  issue: IssueResponse;
  checked: boolean;
}

/**
 * A cluster's most recent issues with their verbatim quotes and tickets; editors tick issues for a split and, once
 * another cluster is picked, move single issues to it.
 */
@Component({
  selector: 'pim-cluster-issues-card',
  imports: [DatePipe, PercentPipe, RouterLink, MatButton, MatCard, MatCardContent, MatCheckbox],
  templateUrl: './cluster-issues-card.html',
  styleUrl: './cluster-issues-card.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ClusterIssuesCard {
  readonly issues = input.required<readonly IssueResponse[]>();
  readonly canEdit = input(false);
  /** Issue ids ticked for a split. */
  readonly selected = input<ReadonlySet<string>>(new Set());
  /** The cluster picked to move issues to. */
  readonly target = input<ClusterTarget | null>(null);

  readonly toggled = output<IssueToggle>();
  readonly moved = output<IssueResponse>();

  protected readonly humanize = humanize;
}
