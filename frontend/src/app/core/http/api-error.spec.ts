import { HttpErrorResponse } from '@angular/common/http';
import { apiErrorMessage } from './api-error';

describe('apiErrorMessage', () => {
  it('uses the Nest error message', () => {
    const error = new HttpErrorResponse({
      status: 409,
      error: {
        statusCode: 409,
        message: 'A run is already active',
        error: 'Conflict',
      },
    });
    expect(apiErrorMessage(error)).toBe('A run is already active');
  });

  it('joins validation messages', () => {
    const error = new HttpErrorResponse({
      status: 400,
      error: {
        statusCode: 400,
        message: ['email must be an email', 'property foo should not exist'],
        error: 'Bad Request',
      },
    });
    expect(apiErrorMessage(error)).toBe('email must be an email; property foo should not exist');
  });

  it('reads the message of an error body the client left as text (endpoints answering 204)', () => {
    const error = new HttpErrorResponse({
      status: 404,
      statusText: 'Not Found',
      error: JSON.stringify({ statusCode: 404, message: 'Cluster 42 not found', error: 'Not Found' }),
    });
    expect(apiErrorMessage(error)).toBe('Cluster 42 not found');
  });

  it('explains a network failure', () => {
    expect(apiErrorMessage(new HttpErrorResponse({ status: 0 }))).toMatch(/cannot reach the server/i);
  });

  it('falls back to the status when the body has no message', () => {
    const error = new HttpErrorResponse({
      status: 502,
      statusText: 'Bad Gateway',
      error: '<html>',
    });
    expect(apiErrorMessage(error)).toBe('Request failed: 502 Bad Gateway');
  });

  it('handles errors that are not HTTP errors', () => {
    expect(apiErrorMessage(new Error('boom'))).toMatch(/something went wrong/i);
  });
});
