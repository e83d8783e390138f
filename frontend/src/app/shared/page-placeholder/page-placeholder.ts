import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatCard, MatCardContent } from '@angular/material/card';
import { Icon } from '../icon/icon';
import { IconName } from '../icon/icon-paths';

/**
 * The page heading and an empty-state card for a page whose API is not built yet, so a routed page
 * never renders blank. The projected content says what the page will show.
 */
@Component({
  selector: 'pim-page-placeholder',
  imports: [MatCard, MatCardContent, Icon],
  templateUrl: './page-placeholder.html',
  styleUrl: './page-placeholder.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PagePlaceholder {
  readonly heading = input.required<string>();
  readonly icon = input.required<IconName>();
  /** The endpoint(s) the page waits for, e.g. `GET /api/clusters`. */
  readonly api = input.required<string>();
  readonly title = input('This page arrives with its API');
}
