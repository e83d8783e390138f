import { ChangeDetectionStrategy, Component } from '@angular/core';
import { PagePlaceholder } from '../../shared/page-placeholder/page-placeholder';

@Component({
  selector: 'pim-issue-list-page',
  imports: [PagePlaceholder],
  templateUrl: './issue-list-page.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class IssueListPage {}
