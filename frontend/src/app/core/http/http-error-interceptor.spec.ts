import { HttpClient, HttpContext, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { httpErrorInterceptor, SKIP_ERROR_SNACKBAR } from './http-error-interceptor';

describe('httpErrorInterceptor', () => {
  let http: HttpClient;
  let backend: HttpTestingController;
  const snackBar = { open: jest.fn() };

  beforeEach(() => {
    snackBar.open.mockReset();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([httpErrorInterceptor])),
        provideHttpClientTesting(),
        { provide: MatSnackBar, useValue: snackBar },
      ],
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  function fail(status: number, body: unknown, context?: HttpContext): unknown {
    let received: unknown;
    http.get('/api/clusters', { context }).subscribe({ error: (error: unknown) => (received = error) });
    backend.expectOne('/api/clusters').flush(body, { status, statusText: 'Error' });
    return received;
  }

  it("shows the server's message and still fails the call", () => {
    const error = fail(403, {
      statusCode: 403,
      message: 'Forbidden resource',
      error: 'Forbidden',
    });

    expect(snackBar.open).toHaveBeenCalledWith('Forbidden resource', 'Dismiss', expect.anything());
    expect(error).toBeDefined();
  });

  it('leaves a 401 to the auth interceptor', () => {
    fail(401, { statusCode: 401, message: 'Unauthorized' });
    expect(snackBar.open).not.toHaveBeenCalled();
  });

  it('stays quiet when the caller shows the error itself', () => {
    fail(429, { statusCode: 429, message: 'Too Many Requests' }, new HttpContext().set(SKIP_ERROR_SNACKBAR, true));
    expect(snackBar.open).not.toHaveBeenCalled();
  });

  it('does nothing for successful calls', () => {
    http.get('/api/clusters').subscribe();
    backend.expectOne('/api/clusters').flush({ items: [] });
    expect(snackBar.open).not.toHaveBeenCalled();
  });
});
