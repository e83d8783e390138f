import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { TrendPoint } from '@pim/api-client';

const WIDTH = 160;
const HEIGHT = 40;

/** A small line of counts over time (inline SVG), labelled for screen readers with its range and total. */
@Component({
  selector: 'pim-sparkline',
  template: `
    <svg
      class="sparkline"
      [attr.viewBox]="'0 0 ' + width + ' ' + height"
      preserveAspectRatio="none"
      role="img"
      [attr.aria-label]="label()"
      data-testid="sparkline"
    >
      <title>{{ label() }}</title>
      @if (points().length > 1) {
        <polyline class="line" [attr.points]="path()" fill="none" />
      }
    </svg>
  `,
  styleUrl: './charts.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Sparkline {
  readonly points = input.required<TrendPoint[]>();
  /** What one point counts, e.g. "day" or "week". */
  readonly unit = input('day');

  protected readonly width = WIDTH;
  protected readonly height = HEIGHT;

  protected readonly path = computed(() => {
    const points = this.points();
    const max = Math.max(1, ...points.map((point) => point.count));
    const step = WIDTH / Math.max(1, points.length - 1);
    return points
      .map((point, index) => `${round(index * step)},${round(HEIGHT - 2 - (point.count / max) * (HEIGHT - 4))}`)
      .join(' ');
  });

  protected readonly label = computed(() => {
    const points = this.points();
    if (!points.length) {
      return 'No trend data';
    }
    const total = points.reduce((sum, point) => sum + point.count, 0);
    const max = Math.max(...points.map((point) => point.count));
    const unit = this.unit();
    return `${total} issues over ${points.length} ${unit}s, at most ${max} a ${unit}; last ${unit}: ${points[points.length - 1].count}`;
  });
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
