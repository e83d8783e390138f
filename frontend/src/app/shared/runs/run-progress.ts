import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatProgressBar } from '@angular/material/progress-bar';
import { CurrentRunResponse, RunPhase } from '@pim/api-client';
import { PHASE_LABELS, phasesOf, RunKind } from './run-labels';

interface PhaseStep {
  phase: RunPhase;
  label: string;
  state: 'done' | 'current' | 'waiting';
  mode: 'determinate' | 'indeterminate';
  value: number;
  text: string;
}

/**
 * The phases of a run with a progress bar each: finished phases full, the current one at done/total
 * (indeterminate while the total is unknown), later ones empty.
 */
@Component({
  selector: 'pim-run-progress',
  imports: [MatProgressBar],
  template: `
    <ol class="phases" data-testid="run-progress">
      @for (step of steps(); track step.phase) {
        <li class="phase" [class.current]="step.state === 'current'" [attr.data-phase]="step.phase">
          <div class="label">
            <span class="name">{{ step.label }}</span>
            <span class="count">{{ step.text }}</span>
          </div>
          <mat-progress-bar [mode]="step.mode" [value]="step.value" [attr.aria-label]="step.label + ' progress'" />
        </li>
      }
    </ol>
  `,
  styles: `
    .phases {
      display: grid;
      gap: 12px;
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .label {
      display: flex;
      justify-content: space-between;
      gap: 16px;
      margin-bottom: 4px;
      font: var(--mat-sys-body-medium);
      color: var(--mat-sys-on-surface-variant);
    }
    .current .label {
      color: var(--mat-sys-on-surface);
      font-weight: 500;
    }
    .count {
      font-variant-numeric: tabular-nums;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RunProgress {
  readonly run = input.required<Pick<CurrentRunResponse, 'phase' | 'done' | 'total'>>();
  /** The run's kind, when known: it decides which phases are listed. */
  readonly kind = input<RunKind | null>(null);

  protected readonly steps = computed<PhaseStep[]>(() => {
    const { phase, done, total } = this.run();
    const phases = phasesOf(this.kind());
    const index = phases.indexOf(phase as RunPhase);
    const finished = phase === 'done';
    return phases.map((step, i): PhaseStep => {
      const label = PHASE_LABELS[step];
      if (finished || (index >= 0 && i < index)) {
        return { phase: step, label, state: 'done', mode: 'determinate', value: 100, text: 'Done' };
      }
      if (i === index) {
        if (total === null || total <= 0) {
          return {
            phase: step,
            label,
            state: 'current',
            mode: total === 0 ? 'determinate' : 'indeterminate',
            value: total === 0 ? 100 : 0,
            text: total === 0 ? 'Nothing to do' : `${done.toLocaleString()} so far`,
          };
        }
        return {
          phase: step,
          label,
          state: 'current',
          mode: 'determinate',
          value: Math.min(100, (done / total) * 100),
          text: `${done.toLocaleString()} / ${total.toLocaleString()}`,
        };
      }
      return {
        phase: step,
        label,
        state: 'waiting',
        mode: 'determinate',
        value: 0,
        text: phase === 'queued' ? 'Queued' : 'Waiting',
      };
    });
  });
}
