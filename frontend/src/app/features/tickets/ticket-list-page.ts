import { ChangeDetectionStrategy, Component } from '@angular/core';
import { PagePlaceholder } from '../../shared/page-placeholder/page-placeholder';

@Component({
  selector: 'pim-ticket-list-page',
  imports: [PagePlaceholder],
  templateUrl: './ticket-list-page.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TicketListPage {}
