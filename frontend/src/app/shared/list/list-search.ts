import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatFormField, MatLabel, MatPrefix } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { Icon } from '../icon/icon';
import { ListView } from './url-list-state';

/** The search box of a list page: shows what is typed, puts it in the URL after a pause. */
@Component({
  selector: 'pim-list-search',
  imports: [MatFormField, MatLabel, MatPrefix, MatInput, Icon],
  template: `
    <mat-form-field subscriptSizing="dynamic">
      <mat-label>{{ label() }}</mat-label>
      <pim-icon matPrefix name="search" class="prefix-icon" />
      <input
        matInput
        type="search"
        name="search"
        [attr.data-testid]="testId()"
        #searchInput
        [value]="list().searchText()"
        (input)="list().search(searchInput.value)"
      />
    </mat-form-field>
  `,
  styles: `
    :host {
      display: block;
    }

    mat-form-field {
      width: 100%;
    }

    .prefix-icon {
      margin: 0 4px 0 12px;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ListSearch {
  readonly list = input.required<ListView>();
  readonly label = input.required<string>();
  readonly testId = input.required<string>();
}
