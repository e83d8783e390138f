/** Headers as fetch gives them (only `get` is read). */
export interface HeaderReader {
  get(name: string): string | null;
}

/**
 * Milliseconds a `Retry-After` header asks to wait: `retry-after-ms` (Anthropic), else `retry-after` in seconds or
 * as an HTTP date (RFC 9110 §10.2.3); undefined when absent or unusable. `secondScale` divides second values (a
 * simulator running its clock faster).
 */
export function retryAfterMs(
  headers: HeaderReader | undefined | null,
  now = Date.now(),
  secondScale = 1,
): number | undefined {
  if (!headers) return undefined;
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers.get('retry-after')?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return (Number(raw) * 1000) / secondScale;
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}
