import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { Subject } from 'rxjs';
import { listParam } from '../list-params';
import { ListQuery, SEARCH_DEBOUNCE_MS, UrlListState } from './url-list-state';

interface Filters {
  colors: string[];
}
type ColorSort = 'name:asc' | 'name:desc' | 'size:desc';
type Query = Filters & ListQuery<ColorSort>;
interface Page {
  items: string[];
  total: number;
}

/** The requests the list made, oldest first; each answers when the test says. */
let requests: { query: Query; response: Subject<Page> }[] = [];

@Component({ template: '' })
class ColorList {
  readonly list = new UrlListState<Filters, Page, ColorSort>({
    filters: (params) => ({ colors: listParam(params.get('color')) }),
    filterParams: ['color'],
    isFiltered: (filters) => filters.colors.length > 0,
    sort: { options: ['name:asc', 'name:desc', 'size:desc'], default: 'name:asc' },
    load: (query) => {
      const response = new Subject<Page>();
      requests.push({ query, response });
      return response;
    },
  });
}

@Component({ template: '' })
class PlainList {
  readonly list = new UrlListState<object, Page>({
    filters: () => ({}),
    filterParams: [],
    load: (query) => {
      const response = new Subject<Page>();
      requests.push({ query: query as Query, response });
      return response;
    },
  });
}

describe('UrlListState', () => {
  let harness: RouterTestingHarness;

  async function render<T>(url: string, component: new () => T = ColorList as never): Promise<T> {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: 'colors', component: ColorList },
          { path: 'plain', component: PlainList },
        ]),
      ],
    });
    harness = await RouterTestingHarness.create();
    const page = await harness.navigateByUrl(url, component);
    await harness.fixture.whenStable();
    return page;
  }

  const currentUrl = (): string => TestBed.inject(Router).url;

  async function settle(): Promise<void> {
    await harness.fixture.whenStable();
  }

  beforeEach(() => (requests = []));

  it('reads filters, search, sort and paging from the URL and loads that query', async () => {
    const { list } = await render('/colors?color=red,%20blue&search=%20vat%20&sort=size:desc&page=3&perPage=50');

    expect(list.query()).toEqual({
      colors: ['red', 'blue'],
      search: 'vat',
      sort: 'size:desc',
      page: 3,
      perPage: 50,
    });
    expect(list.sortActive()).toBe('size');
    expect(list.sortDirection()).toBe('desc');
    expect(list.hasFilters()).toBe(true);
    expect(list.searchText()).toBe('vat');
    expect(requests.map((request) => request.query)).toEqual([list.query()]);
  });

  it('falls back to the defaults for missing or invalid values', async () => {
    const { list } = await render('/colors?sort=color:up&page=0&perPage=500');

    expect(list.query()).toEqual({ colors: [], search: '', sort: 'name:asc', page: 1, perPage: 25 });
    expect(list.hasFilters()).toBe(false);
  });

  it('has an empty sort and only the search as filter without options for them', async () => {
    const { list } = await render('/plain?sort=name:asc&search=ann', PlainList);

    expect(list.query()).toEqual({ search: 'ann', sort: '', page: 1, perPage: 25 });
    expect(list.hasFilters()).toBe(true);
  });

  it('writes a changed filter to the URL and starts again from page 1', async () => {
    const { list } = await render('/colors?sort=size:desc&page=4&perPage=50');

    list.filter({ color: 'red' });
    await settle();

    expect(currentUrl()).toBe('/colors?sort=size:desc&perPage=50&color=red');
    expect(list.query()).toMatchObject({ colors: ['red'], page: 1, perPage: 50 });
    expect(requests.at(-1)?.query).toMatchObject({ colors: ['red'], page: 1, sort: 'size:desc' });

    list.filter({ color: null });
    await settle();
    expect(currentUrl()).toBe('/colors?sort=size:desc&perPage=50');
  });

  it('keeps the default sort out of the URL and resets the page on a new sort', async () => {
    const { list } = await render('/colors?page=2');

    list.sortBy({ active: 'name', direction: 'desc' });
    await settle();
    expect(currentUrl()).toBe('/colors?sort=name:desc');

    list.sortBy({ active: 'name', direction: 'asc' });
    await settle();
    expect(currentUrl()).toBe('/colors');
    expect(list.query().sort).toBe('name:asc');
  });

  it('keeps page 1 and the default page size out of the URL', async () => {
    const { list } = await render('/colors?color=red');

    list.paginate({ pageIndex: 2, pageSize: 100, previousPageIndex: 0, length: 500 });
    await settle();
    expect(currentUrl()).toBe('/colors?color=red&page=3&perPage=100');
    expect(requests.at(-1)?.query).toMatchObject({ page: 3, perPage: 100 });

    list.paginate({ pageIndex: 0, pageSize: 25, previousPageIndex: 2, length: 500 });
    await settle();
    expect(currentUrl()).toBe('/colors?color=red');
  });

  it('clears the search and the filters but keeps sort and page size', async () => {
    const { list } = await render('/colors?color=red&search=vat&sort=size:desc&page=2&perPage=50&other=x');

    list.clearFilters();
    await settle();

    expect(currentUrl()).toBe('/colors?sort=size:desc&perPage=50&other=x');
    expect(list.hasFilters()).toBe(false);
  });

  it('puts typed text in the URL after a pause, from page 1, and keeps the box as typed', async () => {
    const { list } = await render('/colors?page=3');

    list.search('re');
    list.search('red ');
    expect(list.searchText()).toBe('red ');
    expect(currentUrl()).toBe('/colors?page=3');

    await new Promise((resolve) => setTimeout(resolve, SEARCH_DEBOUNCE_MS + 50));
    await settle();

    expect(currentUrl()).toBe('/colors?search=red');
    expect(list.searchText()).toBe('red ');
    expect(requests.at(-1)?.query).toMatchObject({ search: 'red', page: 1 });

    // A search from outside (a link, the back button) shows in the box.
    await harness.navigateByUrl('/colors?search=blue');
    expect(list.searchText()).toBe('blue');
  });

  it('loads, keeps the last page while the next loads, and reloads after an error', async () => {
    const { list } = await render('/colors');
    expect(list.state()).toEqual({ status: 'loading' });
    expect(list.page()).toBeNull();

    requests[0].response.next({ items: ['red'], total: 1 });
    expect(list.state()).toEqual({ status: 'ready', value: { items: ['red'], total: 1 } });
    expect(list.page()).toEqual({ items: ['red'], total: 1 });

    list.filter({ color: 'blue' });
    await settle();
    expect(list.state()).toEqual({ status: 'loading' });
    expect(list.page()).toEqual({ items: ['red'], total: 1 });

    requests[1].response.error(new Error('offline'));
    expect(list.state()).toEqual({ status: 'error' });

    list.reload();
    expect(requests).toHaveLength(3);
    expect(requests[2].query).toEqual(requests[1].query);
    requests[2].response.next({ items: ['blue'], total: 1 });
    expect(list.page()).toEqual({ items: ['blue'], total: 1 });
  });
});
