import { TestBed } from '@angular/core/testing';
import { IssueListPage } from './issue-list-page';

describe('IssueListPage', () => {
  it('shows the Issues heading and an empty state naming the API it waits for', async () => {
    const fixture = TestBed.createComponent(IssueListPage);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;

    expect(element.querySelector('h1')?.textContent).toBe('Issues');
    const card = element.querySelector('[data-testid="page-placeholder"]');
    expect(card?.textContent).toContain('This page arrives with its API');
    expect(card?.textContent).toContain('Every product problem extracted from a t');
    expect(card?.querySelector('code')?.textContent).toBe('GET /api/issues');
  });
});
