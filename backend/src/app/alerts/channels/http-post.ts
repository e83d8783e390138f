import { retryAfterMs } from '@app/common/retry-after';
import { DeliveryError } from './delivery-error';

/**
 * POSTs a JSON body; resolves on 2xx, else throws a `DeliveryError` that says whether to try again. Messages name
 * the status or the network failure, never the URL (a Slack webhook URL is itself the secret).
 */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
  } catch (error) {
    const { name, cause } = error as { name?: string; cause?: { code?: string } };
    if (name === 'TimeoutError' || name === 'AbortError')
      throw new DeliveryError(`timed out after ${timeoutMs} ms`, true);
    throw new DeliveryError(`connection failed${cause?.code ? ` (${cause.code})` : ''}`, true);
  }
  const text = await response.text().catch(() => '');
  if (response.ok) return;
  const detail = text ? `: ${text.replace(/\s+/g, ' ').slice(0, 200)}` : '';
  if (response.status === 429)
    throw new DeliveryError(`HTTP 429${detail}`, true, retryAfterMs(response.headers) ?? undefined);
  const retryable = response.status >= 500 || response.status === 408;
  throw new DeliveryError(`HTTP ${response.status}${detail}`, retryable);
}
