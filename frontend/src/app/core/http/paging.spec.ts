import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { pagingInterceptor, positiveInt, withPage } from './paging';

describe('pagingInterceptor', () => {
  let http: HttpClient;
  let backend: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(withInterceptors([pagingInterceptor])), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  it('adds page and perPage from the request context, keeping the other parameters', () => {
    http
      .get('/api/tickets', { params: { search: 'invoice' }, context: withPage({ page: 3, perPage: 50 }) })
      .subscribe();

    const request = backend.expectOne((req) => req.url === '/api/tickets');
    expect(request.request.params.get('search')).toBe('invoice');
    expect(request.request.params.get('page')).toBe('3');
    expect(request.request.params.get('perPage')).toBe('50');
    request.flush({});
  });

  it('leaves requests without a page alone', () => {
    http.get('/api/tickets').subscribe();

    const request = backend.expectOne('/api/tickets');
    expect(request.request.params.keys()).toEqual([]);
    request.flush({});
  });
});

describe('positiveInt', () => {
  it('accepts positive integers within the bound and falls back otherwise', () => {
    expect(positiveInt('4', 1)).toBe(4);
    expect(positiveInt(null, 1)).toBe(1);
    expect(positiveInt('0', 1)).toBe(1);
    expect(positiveInt('2.5', 1)).toBe(1);
    expect(positiveInt('abc', 1)).toBe(1);
    expect(positiveInt('500', 25, 200)).toBe(25);
  });
});
