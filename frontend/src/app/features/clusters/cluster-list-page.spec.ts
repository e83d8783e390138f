import { TestBed } from '@angular/core/testing';
import { ClusterListPage } from './cluster-list-page';

describe('ClusterListPage', () => {
  it('shows the Clusters heading and an empty state naming the API it waits for', async () => {
    const fixture = TestBed.createComponent(ClusterListPage);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;

    expect(element.querySelector('h1')?.textContent).toBe('Clusters');
    const card = element.querySelector('[data-testid="page-placeholder"]');
    expect(card?.textContent).toContain('This page arrives with its API');
    expect(card?.textContent).toContain('Clusters group the same product problem ');
    expect(card?.querySelector('code')?.textContent).toBe('GET /api/clusters');
  });
});
