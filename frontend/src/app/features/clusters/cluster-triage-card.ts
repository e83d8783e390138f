import { ChangeDetectionStrategy, Component, computed, input, linkedSignal, output } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardContent } from '@angular/material/card';
import { MatOption } from '@angular/material/core';
import { MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MatSelect } from '@angular/material/select';
import { ClusterDetailResponse, UpdateClusterRequest } from '@pim/api-client';
import { Icon } from '../../shared/icon/icon';
import { humanize, PM_STATUS_LABELS, PM_STATUSES, PmStatus } from '../../shared/issues/issue-labels';

type DraftField = 'name' | 'owner' | 'pmNotes' | 'externalUrl';

/**
 * Triage: status, name, owner, notes and external link. Editors and admins edit them (a status is saved as soon as
 * it is picked, the rest with Save, sending only what changed); others read them.
 */
@Component({
  selector: 'pim-cluster-triage-card',
  imports: [MatButton, MatCard, MatCardContent, MatFormField, MatHint, MatLabel, MatInput, MatSelect, MatOption, Icon],
  templateUrl: './cluster-triage-card.html',
  styleUrl: './cluster-triage-card.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ClusterTriageCard {
  readonly cluster = input.required<ClusterDetailResponse>();
  readonly canEdit = input(false);
  /** A change is on its way: the status and Save wait. */
  readonly saving = input(false);

  /** A status was picked. */
  readonly statusChange = output<PmStatus>();
  /** Save: the changed fields. */
  readonly saved = output<UpdateClusterRequest>();

  protected readonly statuses = PM_STATUSES;
  protected readonly statusLabels = PM_STATUS_LABELS;

  /** The form, reset from each loaded cluster. */
  protected readonly draft = linkedSignal(() => this.fromCluster(this.cluster()));
  protected readonly changes = computed<UpdateClusterRequest>(() => {
    const cluster = this.cluster();
    const draft = this.draft();
    const changes: UpdateClusterRequest = {};
    if (draft.name.trim() && draft.name.trim() !== cluster.name) {
      changes.name = draft.name.trim();
    }
    if (draft.owner.trim() !== (cluster.owner ?? '')) {
      changes.owner = draft.owner.trim() || null;
    }
    if (draft.pmNotes !== cluster.pmNotes) {
      changes.pmNotes = draft.pmNotes;
    }
    if (draft.externalUrl.trim() !== (cluster.externalUrl ?? '')) {
      changes.externalUrl = draft.externalUrl.trim() || null;
    }
    return changes;
  });
  protected readonly dirty = computed(() => Object.keys(this.changes()).length > 0);

  protected statusLabel(status: string): string {
    return this.statusLabels[status as PmStatus] ?? humanize(status);
  }

  protected setDraft(field: DraftField, value: string): void {
    this.draft.update((draft) => ({ ...draft, [field]: value }));
  }

  protected save(): void {
    if (this.dirty()) {
      this.saved.emit(this.changes());
    }
  }

  protected resetDraft(): void {
    this.draft.set(this.fromCluster(this.cluster()));
  }

  private fromCluster(cluster: ClusterDetailResponse): Record<DraftField, string> {
    return {
      name: cluster.name,
      owner: cluster.owner ?? '',
      pmNotes: cluster.pmNotes ?? '',
      externalUrl: cluster.externalUrl ?? '',
    };
  }
}
