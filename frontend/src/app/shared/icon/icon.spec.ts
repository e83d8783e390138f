import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Icon } from './icon';
import { ICON_PATHS, IconName } from './icon-paths';

@Component({
  imports: [Icon],
  template: `<pim-icon [name]="name" />`,
})
class Host {
  name: IconName = 'dashboard';
}

describe('Icon', () => {
  it('renders the named path as a decorative inline SVG', async () => {
    const fixture = TestBed.createComponent(Host);
    await fixture.whenStable();
    const host = fixture.nativeElement.querySelector('pim-icon') as HTMLElement;

    expect(host.getAttribute('aria-hidden')).toBe('true');
    expect(host.querySelector('path')?.getAttribute('d')).toBe(ICON_PATHS.dashboard);
  });
});
