import { ChangeDetectionStrategy, Component } from '@angular/core';
import { PagePlaceholder } from '../../shared/page-placeholder/page-placeholder';

@Component({
  selector: 'pim-run-list-page',
  imports: [PagePlaceholder],
  templateUrl: './run-list-page.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RunListPage {}
