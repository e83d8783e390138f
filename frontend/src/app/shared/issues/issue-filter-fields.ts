import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatOption } from '@angular/material/core';
import { MatFormField, MatLabel } from '@angular/material/form-field';
import { MatSelect } from '@angular/material/select';
import { Params } from '@angular/router';
import { joinList } from '../list-params';
import { IssueFilters } from './issue-filters';
import { humanize, ISSUE_TYPES, PERIODS, SEVERITIES } from './issue-labels';

/** The `data-testid`s of the three selects. */
export interface IssueFilterTestIds {
  type: string;
  severity: string;
  period: string;
}

/**
 * The issue type, severity and period selects of a filter bar. A choice is emitted as the query parameters to set
 * (null removes one); the page puts them in the URL.
 */
@Component({
  selector: 'pim-issue-filter-fields',
  imports: [MatFormField, MatLabel, MatSelect, MatOption],
  template: `
    <mat-form-field subscriptSizing="dynamic">
      <mat-label>Issue type</mat-label>
      <mat-select
        multiple
        [attr.data-testid]="testIds().type"
        [value]="filters().issueTypes"
        (selectionChange)="changed.emit({ issueType: joinList($event.value) })"
      >
        @for (type of issueTypes; track type) {
          <mat-option [value]="type">{{ humanize(type) }}</mat-option>
        }
      </mat-select>
    </mat-form-field>

    <mat-form-field subscriptSizing="dynamic">
      <mat-label>Severity</mat-label>
      <mat-select
        multiple
        [attr.data-testid]="testIds().severity"
        [value]="filters().severities"
        (selectionChange)="changed.emit({ severity: joinList($event.value) })"
      >
        @for (severity of severities; track severity) {
          <mat-option [value]="severity">{{ humanize(severity) }}</mat-option>
        }
      </mat-select>
    </mat-form-field>

    <mat-form-field subscriptSizing="dynamic">
      <mat-label>{{ periodLabel() }}</mat-label>
      <mat-select
        [attr.data-testid]="testIds().period"
        [value]="filters().days ?? 'all'"
        (selectionChange)="onPeriod($event.value)"
      >
        <mat-option value="all">All time</mat-option>
        @for (period of periods; track period) {
          <mat-option [value]="period">Last {{ period }} days</mat-option>
        }
      </mat-select>
    </mat-form-field>
  `,
  // The fields sit in the page's filter bar as if they were its own.
  styles: `
    :host {
      display: contents;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class IssueFilterFields {
  readonly filters = input.required<IssueFilters>();
  /** What the period counts from ("Ticket created"). */
  readonly periodLabel = input.required<string>();
  readonly testIds = input.required<IssueFilterTestIds>();
  readonly changed = output<Params>();

  protected readonly issueTypes = ISSUE_TYPES;
  protected readonly severities = SEVERITIES;
  protected readonly periods = PERIODS;
  protected readonly humanize = humanize;
  protected readonly joinList = joinList;

  /** "All time" is a value of its own: a mat-select shows no label for a null option. */
  protected onPeriod(days: number | 'all'): void {
    this.changed.emit({ days: days === 'all' ? null : days });
  }
}
