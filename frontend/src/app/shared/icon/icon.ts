import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { ICON_PATHS, IconName } from './icon-paths';

/**
 * A decorative inline SVG icon. Icons never carry meaning alone: the button or link around one
 * has a text label or an `aria-label`, so the icon is hidden from assistive technology.
 */
@Component({
  selector: 'pim-icon',
  template: `<svg viewBox="0 0 24 24" focusable="false">
    <path [attr.d]="path()" />
  </svg>`,
  styleUrl: './icon.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    class: 'pim-icon',
    'aria-hidden': 'true',
    '[attr.data-icon]': 'name()',
  },
})
export class Icon {
  readonly name = input.required<IconName>();

  protected readonly path = computed(() => ICON_PATHS[this.name()]);
}
