import { TestBed } from '@angular/core/testing';
import { CurrentRunResponse } from '@pim/api-client';
import { RunProgress } from './run-progress';
import { formatDuration, runErrorText } from './run-labels';

describe('RunProgress', () => {
  async function render(run: Pick<CurrentRunResponse, 'phase' | 'done' | 'total'>, kind: 'sync' | 'import' | null) {
    const fixture = TestBed.createComponent(RunProgress);
    fixture.componentRef.setInput('run', run);
    fixture.componentRef.setInput('kind', kind);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    return Array.from(element.querySelectorAll('[data-phase]')).map((phase) => ({
      phase: phase.getAttribute('data-phase'),
      text: phase.querySelector('.count')?.textContent?.trim(),
      value: phase.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow') ?? null,
    }));
  }

  it('shows finished phases full, the current one at done/total and later ones waiting', async () => {
    expect(await render({ phase: 'analyze', done: 25, total: 200 }, 'import')).toEqual([
      { phase: 'import', text: 'Done', value: '100' },
      { phase: 'analyze', text: '25 / 200', value: '12.5' },
      { phase: 'cluster', text: 'Waiting', value: '0' },
    ]);
  });

  it('counts without a bar position while the total is unknown, and lists every phase for an unknown kind', async () => {
    const phases = await render({ phase: 'sync', done: 1500, total: null }, null);
    expect(phases.map((phase) => phase.phase)).toEqual(['sync', 'import', 'analyze', 'cluster']);
    expect(phases[0].text).toBe('1,500 so far');
  });

  it('shows a queued run as waiting', async () => {
    const phases = await render({ phase: 'queued', done: 0, total: null }, 'sync');
    expect(phases.map((phase) => phase.text)).toEqual(['Queued', 'Queued', 'Queued']);
  });
});

describe('run labels', () => {
  it('formats durations', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_400)).toBe('12 s');
    expect(formatDuration(185_000)).toBe('3 min 05 s');
    expect(formatDuration(3_720_000)).toBe('1 h 02 min');
  });

  it('names the row of a run error', () => {
    expect(runErrorText({ at: '', ref: 'line 3', message: 'id must be a positive integer' })).toBe(
      'line 3: id must be a positive integer',
    );
    expect(runErrorText({ at: '', message: 'Zendesk answered 503' })).toBe('Zendesk answered 503');
  });
});
