import { HttpErrorResponse } from '@angular/common/http';

/**
 * The message to show for a failed API call. Nest error bodies are
 * `{ statusCode, message: string | string[], error }`; validation errors list one message per field.
 */
export function apiErrorMessage(error: unknown): string {
  if (!(error instanceof HttpErrorResponse)) {
    return 'Something went wrong. Please try again.';
  }
  if (error.status === 0) {
    return 'Cannot reach the server. Check your connection and try again.';
  }
  const serverMessage = messageFromBody(error.error);
  if (serverMessage) {
    return serverMessage;
  }
  return error.statusText && error.statusText !== 'Unknown Error'
    ? `Request failed: ${error.status} ${error.statusText}`
    : `Request failed with status ${error.status}`;
}

function messageFromBody(raw: unknown): string | null {
  // Endpoints without a JSON response (204s) are read as text by the client: their error body arrives unparsed.
  const body = typeof raw === 'string' ? parseJson(raw) : raw;
  if (body === null || typeof body !== 'object' || !('message' in body)) {
    return null;
  }
  const { message } = body;
  if (typeof message === 'string' && message.trim()) {
    return message;
  }
  if (Array.isArray(message)) {
    const parts = message.filter((part): part is string => typeof part === 'string' && !!part.trim());
    return parts.length ? parts.join('; ') : null;
  }
  return null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
