import { ChangeDetectionStrategy, Component } from '@angular/core';
import { PagePlaceholder } from '../../shared/page-placeholder/page-placeholder';

@Component({
  selector: 'pim-cluster-list-page',
  imports: [PagePlaceholder],
  templateUrl: './cluster-list-page.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ClusterListPage {}
