import { StrictHttpResponse } from '@pim/api-client';

/**
 * Saves a CSV response of the generated client (`export*$Response`, fetched with the auth header) as a file.
 * The client types these bodies as `void` because the spec only says `text/csv`; at runtime they are text.
 */
export function saveCsv(response: StrictHttpResponse<unknown>, fallbackName: string, doc: Document = document): void {
  const body: unknown = response.body;
  const text = typeof body === 'string' ? body : '';
  const name = fileNameFrom(response.headers.get('Content-Disposition')) ?? fallbackName;
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const anchor = doc.createElement('a');
  anchor.href = url;
  anchor.download = name;
  anchor.style.display = 'none';
  doc.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url));
}

/** The `filename` of a `Content-Disposition: attachment; filename="…"` header. */
export function fileNameFrom(disposition: string | null): string | null {
  const match = disposition ? /filename="?([^";]+)"?/i.exec(disposition) : null;
  return match ? match[1] : null;
}
