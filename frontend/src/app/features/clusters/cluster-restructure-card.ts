import { ChangeDetectionStrategy, Component, inject, input, model, output, signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardContent } from '@angular/material/card';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { ClustersService } from '@pim/api-client';
import { catchError, debounceTime, distinctUntilChanged, map, of, switchMap } from 'rxjs';
import { ClusterTarget } from './cluster-target';

/**
 * Merge, split, move (editors and admins): find another cluster to merge this one into or to move single issues to,
 * and split the ticked issues off into a new cluster.
 */
@Component({
  selector: 'pim-cluster-restructure-card',
  imports: [MatButton, MatCard, MatCardContent, MatFormField, MatLabel, MatInput],
  templateUrl: './cluster-restructure-card.html',
  styleUrl: './cluster-restructure-card.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ClusterRestructureCard {
  private readonly clusters = inject(ClustersService);

  /** The cluster shown, left out of the search results. */
  readonly clusterId = input.required<string>();
  /** The other cluster picked. */
  readonly target = input<ClusterTarget | null>(null);
  /** How many issues are ticked for a split. */
  readonly selectedCount = input(0);
  /** The name for the cluster a split creates (optional). */
  readonly splitName = model('');

  readonly picked = output<ClusterTarget>();
  readonly merged = output<void>();
  readonly splitOff = output<void>();

  protected readonly targetSearch = signal('');
  protected readonly searchResults = toSignal(
    toObservable(this.targetSearch).pipe(
      debounceTime(300),
      map((search) => search.trim()),
      distinctUntilChanged(),
      switchMap((search) =>
        search
          ? this.clusters.listClusters({ search, active: true, page: 1, perPage: 10 }).pipe(
              map((page) => page.items.filter((cluster) => cluster.id !== this.clusterId())),
              catchError(() => of([])),
            )
          : of([]),
      ),
    ),
    { initialValue: [] },
  );
}
