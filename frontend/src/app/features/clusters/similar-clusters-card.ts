import { PercentPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardContent } from '@angular/material/card';
import { RouterLink } from '@angular/router';
import { MergeCandidateResponse } from '@pim/api-client';

/** Similar clusters (merge candidates): editors pick one to merge into, or reject it as "not the same". */
@Component({
  selector: 'pim-similar-clusters-card',
  imports: [PercentPipe, RouterLink, MatButton, MatCard, MatCardContent],
  templateUrl: './similar-clusters-card.html',
  styleUrl: './similar-clusters-card.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SimilarClustersCard {
  readonly candidates = input.required<readonly MergeCandidateResponse[]>();
  readonly canEdit = input(false);
  /** The id of the cluster picked as merge target. */
  readonly targetId = input<string | null>(null);
  /** Candidates whose rejection is on its way. */
  readonly rejecting = input<ReadonlySet<string>>(new Set());

  readonly picked = output<MergeCandidateResponse>();
  readonly rejected = output<MergeCandidateResponse>();
}
