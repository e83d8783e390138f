import { ChangeDetectionStrategy, Component, effect, inject, Injectable, input } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardContent } from '@angular/material/card';
import { MatPaginator, MatPaginatorIntl } from '@angular/material/paginator';
import { MatProgressBar } from '@angular/material/progress-bar';
import { PAGE_SIZES } from '../../core/http/paging';
import { ListView } from './url-list-state';

/** The paginator's texts, with "of 10000+" when the list counted only up to a cap (`totalExact` false). */
@Injectable()
export class CappedPaginatorIntl extends MatPaginatorIntl {
  capped = false;

  override getRangeLabel = (page: number, pageSize: number, length: number): string => {
    const label = new MatPaginatorIntl().getRangeLabel(page, pageSize, length);
    return this.capped ? `${label}+` : label;
  };
}

/**
 * The card of a list page: a progress bar while a page loads, an error with a retry, an empty message, the
 * projected table and the paginator. With filters on, the empty message says nothing matches and offers to clear
 * them (unless `clearable` is false); otherwise it shows the content marked `listEmpty`.
 */
@Component({
  selector: 'pim-list-card',
  imports: [MatButton, MatCard, MatCardContent, MatPaginator, MatProgressBar],
  templateUrl: './list-card.html',
  styleUrl: './list-card.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
  providers: [{ provide: MatPaginatorIntl, useClass: CappedPaginatorIntl }],
})
export class ListCard {
  readonly list = input.required<ListView>();
  /** The listed things, plural and lower case ("clusters"): in the loading, error and empty texts. */
  readonly noun = input.required<string>();
  /** The paginator's label ("Cluster pages"). */
  readonly pagesLabel = input.required<string>();
  readonly clearable = input(true);

  protected readonly pageSizes = PAGE_SIZES;

  constructor() {
    const intl = inject(MatPaginatorIntl) as CappedPaginatorIntl;
    effect(() => {
      const capped = this.list().page()?.totalExact === false;
      if (capped === intl.capped) return;
      intl.capped = capped;
      intl.changes.next();
    });
  }
}
