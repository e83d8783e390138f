import { TestBed } from '@angular/core/testing';
import { SettingsPage } from './settings-page';

describe('SettingsPage', () => {
  it('shows the Settings heading and an empty state naming the API it waits for', async () => {
    const fixture = TestBed.createComponent(SettingsPage);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;

    expect(element.querySelector('h1')?.textContent).toBe('Settings');
    const card = element.querySelector('[data-testid="page-placeholder"]');
    expect(card?.textContent).toContain('This page arrives with its API');
    expect(card?.textContent).toContain('The taxonomy and product context, the Ze');
    expect(card?.querySelector('code')?.textContent).toBe('GET /api/settings/taxonomy');
  });
});
