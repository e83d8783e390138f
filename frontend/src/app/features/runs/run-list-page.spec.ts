import { TestBed } from '@angular/core/testing';
import { RunListPage } from './run-list-page';

describe('RunListPage', () => {
  it('shows the Runs heading and an empty state naming the API it waits for', async () => {
    const fixture = TestBed.createComponent(RunListPage);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;

    expect(element.querySelector('h1')?.textContent).toBe('Runs');
    const card = element.querySelector('[data-testid="page-placeholder"]');
    expect(card?.textContent).toContain('This page arrives with its API');
    expect(card?.textContent).toContain('The current sync, analyze and cluster ru');
    expect(card?.querySelector('code')?.textContent).toBe('GET /api/sync/status');
  });
});
