import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { PagePlaceholder } from './page-placeholder';

@Component({
  imports: [PagePlaceholder],
  template: `
    <pim-page-placeholder heading="Runs" icon="sync" api="GET /api/sync/runs"> Run history. </pim-page-placeholder>
  `,
})
class Host {}

describe('PagePlaceholder', () => {
  it('renders the heading, an empty-state card, what is coming and the API it waits for', async () => {
    const fixture = TestBed.createComponent(Host);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;

    expect(element.querySelector('h1')?.textContent).toBe('Runs');
    const card = element.querySelector('[data-testid="page-placeholder"]');
    expect(card?.textContent).toContain('This page arrives with its API');
    expect(card?.textContent).toContain('Run history.');
    expect(card?.querySelector('code')?.textContent).toBe('GET /api/sync/runs');
  });
});
