import { TestBed } from '@angular/core/testing';
import { TicketListPage } from './ticket-list-page';

describe('TicketListPage', () => {
  it('shows the Tickets heading and an empty state naming the API it waits for', async () => {
    const fixture = TestBed.createComponent(TicketListPage);
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;

    expect(element.querySelector('h1')?.textContent).toBe('Tickets');
    const card = element.querySelector('[data-testid="page-placeholder"]');
    expect(card?.textContent).toContain('This page arrives with its API');
    expect(card?.textContent).toContain('Synced Zendesk tickets: the thread with ');
    expect(card?.querySelector('code')?.textContent).toBe('GET /api/tickets');
  });
});
