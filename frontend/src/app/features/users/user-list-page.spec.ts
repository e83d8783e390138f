import { TestBed } from '@angular/core/testing';
import { UserListPage } from './user-list-page';

describe('UserListPage', () => {
  it('shows the Users heading and an empty state naming the API it waits for', async () => {
    const fixture = TestBed.createComponent(UserListPage);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;

    expect(element.querySelector('h1')?.textContent).toBe('Users');
    const card = element.querySelector('[data-testid="page-placeholder"]');
    expect(card?.textContent).toContain('The users screen is coming');
    expect(card?.textContent).toContain('Accounts and their roles (admin, editor,');
    expect(card?.querySelector('code')?.textContent).toBe('GET /api/users');
  });
});
