import { Component, computed, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { LoadState } from '../load-state';
import { ListCard } from './list-card';
import { ListPage, ListView } from './url-list-state';

/** A list state whose signals the test sets. */
function fakeList() {
  const state = signal<LoadState<ListPage>>({ status: 'loading' });
  const page = signal<ListPage | null>(null);
  const hasFilters = signal(false);
  const list = {
    query: signal({ search: '', sort: '', page: 2, perPage: 50 }),
    state,
    page,
    hasFilters,
    searchText: signal(''),
    search: jest.fn(),
    paginate: jest.fn(),
    clearFilters: jest.fn(),
    reload: jest.fn(),
  } satisfies ListView;
  return list;
}

@Component({
  imports: [ListCard],
  template: `
    <pim-list-card [list]="list" noun="colors" pagesLabel="Color pages" [clearable]="clearable()">
      <p listEmpty>No colors yet.</p>
      <table aria-label="Colors">
        @for (item of items(); track $index) {
          <tr>
            <td>{{ item }}</td>
          </tr>
        }
      </table>
    </pim-list-card>
  `,
})
class Host {
  readonly list = fakeList();
  readonly clearable = signal(true);
  readonly items = computed(() => this.list.page()?.items ?? []);
}

describe('ListCard', () => {
  async function render(): Promise<{ host: Host; element: HTMLElement; settle: () => Promise<void> }> {
    const fixture = TestBed.createComponent(Host);
    const settle = async (): Promise<void> => {
      fixture.detectChanges();
      await fixture.whenStable();
    };
    await settle();
    return { host: fixture.componentInstance, element: fixture.nativeElement as HTMLElement, settle };
  }

  it('shows a progress bar while loading and the page with its paginator when ready', async () => {
    const { host, element, settle } = await render();
    expect(element.querySelector('mat-progress-bar')?.getAttribute('aria-label')).toBe('Loading colors');
    expect(element.querySelector('table')).toBeNull();

    host.list.state.set({ status: 'ready', value: { items: ['red', 'blue'], total: 80 } });
    host.list.page.set({ items: ['red', 'blue'], total: 80 });
    await settle();

    expect(element.querySelector('mat-progress-bar')).toBeNull();
    expect(element.querySelectorAll('table td').length).toBe(2);
    const paginator = element.querySelector('mat-paginator');
    expect(paginator?.getAttribute('aria-label')).toBe('Color pages');
    expect(element.querySelector('.mat-mdc-paginator-range-label')?.textContent).toContain('51 – 80 of 80');

    element.querySelector<HTMLButtonElement>('button.mat-mdc-paginator-navigation-previous')?.click();
    expect(host.list.paginate).toHaveBeenCalledWith(expect.objectContaining({ pageIndex: 0, pageSize: 50 }));
  });

  it('says the total is at least the count when the list counted only up to a cap', async () => {
    const { host, element, settle } = await render();
    host.list.state.set({ status: 'ready', value: { items: ['red'], total: 10_000, totalExact: false } });
    host.list.page.set({ items: ['red'], total: 10_000, totalExact: false });
    await settle();
    const label = () => element.querySelector('.mat-mdc-paginator-range-label')?.textContent?.trim();
    expect(label()).toBe('51 – 100 of 10000+');

    host.list.page.set({ items: ['red'], total: 80, totalExact: true });
    await settle();
    expect(label()).toBe('51 – 80 of 80');
  });

  it('offers a retry after an error', async () => {
    const { host, element, settle } = await render();
    host.list.state.set({ status: 'error' });
    await settle();

    const alert = element.querySelector('[role="alert"]');
    expect(alert?.textContent).toContain('The colors could not be loaded.');
    alert?.querySelector('button')?.click();
    expect(host.list.reload).toHaveBeenCalled();
  });

  it('says when nothing matches the filters and clears them, else shows the page’s empty text', async () => {
    const { host, element, settle } = await render();
    host.list.state.set({ status: 'ready', value: { items: [], total: 0 } });
    host.list.page.set({ items: [], total: 0 });
    host.list.hasFilters.set(true);
    await settle();

    const empty = element.querySelector('[data-testid="colors-empty"]');
    expect(empty?.textContent).toContain('No colors match these filters.');
    empty?.querySelector('button')?.click();
    expect(host.list.clearFilters).toHaveBeenCalled();

    host.list.hasFilters.set(false);
    await settle();
    expect(element.querySelector('[data-testid="colors-empty"]')?.textContent?.trim()).toBe('No colors yet.');

    // A list that is not clearable shows its own text even when filtered.
    host.list.hasFilters.set(true);
    host.clearable.set(false);
    await settle();
    expect(element.querySelector('[data-testid="colors-empty"]')?.textContent?.trim()).toBe('No colors yet.');
    expect(element.querySelector('[data-testid="colors-empty"] button')).toBeNull();
  });
});
