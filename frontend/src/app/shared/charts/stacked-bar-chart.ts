import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { CategoryTrend } from '@pim/api-client';
import { humanize } from '../issues/issue-labels';

/** Distinct colours that read on light and dark surfaces; categories beyond them repeat. */
export const CHART_COLORS: readonly string[] = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { top: 8, right: 8, bottom: 24, left: 36 };

interface Segment {
  category: string;
  count: number;
  x: number;
  y: number;
  width: number;
  height: number;
  color: string;
}

interface Bar {
  date: string;
  total: number;
  segments: Segment[];
}

/**
 * Issues per bucket (day or week), stacked by category, drawn as inline SVG (no chart library).
 * Screen readers get a summary label and a visually hidden table of the same numbers.
 */
@Component({
  selector: 'pim-stacked-bar-chart',
  imports: [DatePipe],
  template: `
    <svg
      class="chart"
      [attr.viewBox]="'0 0 ' + width + ' ' + height"
      preserveAspectRatio="xMidYMid meet"
      role="img"
      [attr.aria-label]="label()"
      data-testid="trend-chart"
    >
      @for (tick of ticks(); track tick.value) {
        <line class="grid" [attr.x1]="pad.left" [attr.x2]="width - pad.right" [attr.y1]="tick.y" [attr.y2]="tick.y" />
        <text class="axis" [attr.x]="pad.left - 6" [attr.y]="tick.y + 4" text-anchor="end">{{ tick.value }}</text>
      }
      @for (bar of bars(); track bar.date; let i = $index) {
        @for (segment of bar.segments; track segment.category) {
          <rect
            [attr.x]="segment.x"
            [attr.y]="segment.y"
            [attr.width]="segment.width"
            [attr.height]="segment.height"
            [attr.fill]="segment.color"
            [attr.data-category]="segment.category"
          >
            <title>
              {{ bar.date | date: 'mediumDate' : 'UTC' }} · {{ humanize(segment.category) }}: {{ segment.count }}
            </title>
          </rect>
        }
        @if (i % labelEvery() === 0) {
          <text class="axis" [attr.x]="barX(i) + barWidth() / 2" [attr.y]="height - 6" text-anchor="middle">
            {{ bar.date | date: 'MMM d' : 'UTC' }}
          </text>
        }
      }
    </svg>
    <ul class="legend" aria-hidden="true">
      @for (entry of legend(); track entry.category) {
        <li>
          <span class="swatch" [style.background]="entry.color"></span>{{ humanize(entry.category) }} ({{
            entry.total
          }})
        </li>
      }
    </ul>
    <table class="visually-hidden">
      <caption>
        {{
          label()
        }}
      </caption>
      <thead>
        <tr>
          <th scope="col">{{ interval() === 'week' ? 'Week of' : 'Day' }}</th>
          @for (entry of legend(); track entry.category) {
            <th scope="col">{{ humanize(entry.category) }}</th>
          }
          <th scope="col">Total</th>
        </tr>
      </thead>
      <tbody>
        @for (bar of bars(); track bar.date) {
          <tr>
            <th scope="row">{{ bar.date | date: 'mediumDate' : 'UTC' }}</th>
            @for (entry of legend(); track entry.category) {
              <td>{{ countOf(bar, entry.category) }}</td>
            }
            <td>{{ bar.total }}</td>
          </tr>
        }
      </tbody>
    </table>
  `,
  styleUrl: './charts.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class StackedBarChart {
  readonly series = input.required<CategoryTrend[]>();
  readonly interval = input<'day' | 'week'>('day');

  protected readonly width = WIDTH;
  protected readonly height = HEIGHT;
  protected readonly pad = PAD;
  protected readonly humanize = humanize;

  /** Categories with issues, biggest first (so the legend and the stack agree). */
  protected readonly legend = computed(() =>
    this.series()
      .filter((series) => series.total > 0)
      .sort((a, b) => b.total - a.total)
      .map((series, index) => ({
        category: series.category,
        total: series.total,
        color: CHART_COLORS[index % CHART_COLORS.length],
      })),
  );

  private readonly dates = computed(() => this.series()[0]?.points.map((point) => point.date) ?? []);
  protected readonly barWidth = computed(() => {
    const slot = (WIDTH - PAD.left - PAD.right) / Math.max(1, this.dates().length);
    return Math.max(1, slot * 0.8);
  });
  protected readonly max = computed(() => {
    const totals = this.dates().map((_, index) =>
      this.series().reduce((sum, series) => sum + (series.points[index]?.count ?? 0), 0),
    );
    return niceMax(Math.max(0, ...totals));
  });
  protected readonly ticks = computed(() => {
    const max = this.max();
    return [0, max / 2, max].map((value) => ({ value, y: this.yOf(value) }));
  });
  protected readonly labelEvery = computed(() => Math.max(1, Math.ceil(this.dates().length / 8)));

  protected readonly bars = computed<Bar[]>(() => {
    const legend = this.legend();
    const byCategory = new Map(this.series().map((series) => [series.category, series]));
    const plotHeight = HEIGHT - PAD.top - PAD.bottom;
    return this.dates().map((date, index) => {
      let stacked = 0;
      const segments: Segment[] = [];
      for (const entry of legend) {
        const count = byCategory.get(entry.category)?.points[index]?.count ?? 0;
        if (count > 0) {
          const height = (count / this.max()) * plotHeight;
          stacked += count;
          segments.push({
            category: entry.category,
            count,
            x: this.barX(index),
            y: this.yOf(stacked),
            width: this.barWidth(),
            height,
            color: entry.color,
          });
        }
      }
      return { date, total: stacked, segments };
    });
  });

  protected readonly label = computed(() => {
    const total = this.bars().reduce((sum, bar) => sum + bar.total, 0);
    const unit = this.interval() === 'week' ? 'week' : 'day';
    const top = this.legend()
      .slice(0, 3)
      .map((entry) => `${humanize(entry.category)} ${entry.total}`)
      .join(', ');
    return `Issues per ${unit} by category: ${total} in ${this.bars().length} ${unit}s${top ? `; most: ${top}` : ''}`;
  });

  protected barX(index: number): number {
    const slot = (WIDTH - PAD.left - PAD.right) / Math.max(1, this.dates().length);
    return PAD.left + index * slot + (slot - this.barWidth()) / 2;
  }

  protected countOf(bar: Bar, category: string): number {
    return bar.segments.find((segment) => segment.category === category)?.count ?? 0;
  }

  private yOf(value: number): number {
    return PAD.top + (1 - value / this.max()) * (HEIGHT - PAD.top - PAD.bottom);
  }
}

/** A round axis maximum at or above `value` (at least 2, so the midpoint is whole). */
export function niceMax(value: number): number {
  if (value <= 2) {
    return 2;
  }
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) {
    const max = step * magnitude;
    if (max >= value && max % 2 === 0) {
      return max;
    }
  }
  return 10 * magnitude;
}
