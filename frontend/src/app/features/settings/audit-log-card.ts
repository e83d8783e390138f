import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, linkedSignal, signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { MatButton } from '@angular/material/button';
import { MatCard, MatCardContent } from '@angular/material/card';
import { MatPaginator, PageEvent } from '@angular/material/paginator';
import { MatProgressBar } from '@angular/material/progress-bar';
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
import { AuditEntryResponse, AuditPageResponse, AuditService } from '@pim/api-client';
import { catchError, map, of, startWith, Subject, switchMap } from 'rxjs';
import { DEFAULT_PAGE_SIZE, PAGE_SIZES } from '../../core/http/paging';

type ListState = { status: 'loading' } | { status: 'ready'; page: AuditPageResponse } | { status: 'error' };

/** Before or after of an audit entry as indented JSON text (shown in a `<pre>` as text, never as HTML). */
export function auditJson(value: AuditEntryResponse['before']): string {
  return value === null || value === undefined ? '—' : JSON.stringify(value, null, 2);
}

/** Who did what and when (`GET /api/audit`, admins), newest first, with each change's before and after. */
@Component({
  selector: 'pim-audit-log-card',
  imports: [
    DatePipe,
    MatCard,
    MatCardContent,
    MatButton,
    MatPaginator,
    MatProgressBar,
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
  ],
  templateUrl: './audit-log-card.html',
  styleUrl: './audit-log-card.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AuditLogCard {
  private readonly audit = inject(AuditService);
  private readonly reload$ = new Subject<void>();

  protected readonly pageSizes = PAGE_SIZES;
  protected readonly columns = ['createdAt', 'actor', 'action', 'target', 'changes'];
  protected readonly detailColumns = ['detail'];
  protected readonly json = auditJson;

  protected readonly query = signal({ page: 1, perPage: DEFAULT_PAGE_SIZE });
  /** The entry whose before/after is open. */
  protected readonly expanded = signal<string | null>(null);

  protected readonly state = toSignal(
    toObservable(this.query).pipe(
      switchMap((query) =>
        this.reload$.pipe(
          startWith(undefined),
          switchMap(() =>
            this.audit.listAudit(query).pipe(
              map((page): ListState => ({ status: 'ready', page })),
              catchError(() => of<ListState>({ status: 'error' })),
              startWith<ListState>({ status: 'loading' }),
            ),
          ),
        ),
      ),
    ),
    { initialValue: { status: 'loading' } as ListState },
  );
  /** The last page loaded, kept on screen while the next one loads. */
  protected readonly page = linkedSignal<ListState, AuditPageResponse | null>({
    source: this.state,
    computation: (state, previous) => (state.status === 'ready' ? state.page : (previous?.value ?? null)),
  });

  protected onPage(event: PageEvent): void {
    this.expanded.set(null);
    this.query.set({ page: event.pageIndex + 1, perPage: event.pageSize });
  }

  protected retry(): void {
    this.reload$.next();
  }

  // Rows are untyped in table templates: these take them as audit entries.
  protected toggle(entry: AuditEntryResponse): void {
    this.expanded.update((id) => (id === entry.id ? null : entry.id));
  }

  protected isExpanded(entry: AuditEntryResponse): boolean {
    return this.expanded() === entry.id;
  }

  protected hasChanges(entry: AuditEntryResponse): boolean {
    return entry.before !== null || entry.after !== null;
  }

  protected target(entry: AuditEntryResponse): string {
    return entry.entityId ? `${entry.entityType} ${entry.entityId}` : entry.entityType;
  }
}
